import { DomainError } from '@numbers/domain';

const PUBLIC_MESSAGE = {
  INVALID_SIGNATURE: 'Webhook signature is missing, invalid or expired',
  INVALID_PAYLOAD: 'Webhook body is not a valid event',
} as const;

/**
 * A webhook refused before anything is stored. The caller sees the code and a fixed message;
 * `reason` (which header, which check) is for our logs only.
 */
export class WebhookRejected extends DomainError {
  constructor(
    code: keyof typeof PUBLIC_MESSAGE,
    readonly reason: string,
  ) {
    super(code, PUBLIC_MESSAGE[code]);
    this.name = 'WebhookRejected';
  }
}
