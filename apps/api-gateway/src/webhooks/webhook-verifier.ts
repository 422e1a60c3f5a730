import type { IncomingHttpHeaders } from 'node:http';
import type { WebhookProvider } from '@numbers/contracts';
import { DomainError } from '@numbers/domain';

/** Checks one provider's signature on the raw body and returns the parsed body. */
export interface WebhookVerifier {
  readonly provider: WebhookProvider;
  /** Throws `WebhookRejected` (400) for a missing, forged or stale signature or a body that is not JSON. */
  verify(rawBody: Buffer, headers: IncomingHttpHeaders): Promise<unknown>;
}

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

/** A header that must be sent exactly once. */
export function singleHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function parseJson(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new WebhookRejected('INVALID_PAYLOAD', 'body is not JSON');
  }
}
