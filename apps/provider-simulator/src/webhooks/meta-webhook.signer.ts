import { createHmac } from 'node:crypto';
import type { WebhookSigner } from './webhook-signer';

/** `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body with the app secret>`, as Meta signs. */
export class MetaWebhookSigner implements WebhookSigner {
  readonly provider = 'meta' as const;

  constructor(private readonly appSecret: string) {}

  sign(body: string): Record<string, string> {
    const signature = createHmac('sha256', this.appSecret).update(body, 'utf8').digest('hex');
    return { 'X-Hub-Signature-256': `sha256=${signature}` };
  }
}
