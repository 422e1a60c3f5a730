import { createHmac } from 'node:crypto';
import { unixSeconds } from '../shared/clock';
import type { WebhookSigner } from './webhook-signer';

/** `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`, as Stripe signs events. */
export class StripeWebhookSigner implements WebhookSigner {
  readonly provider = 'stripe' as const;

  constructor(private readonly secret: string) {}

  sign(body: string, at: Date): Record<string, string> {
    const timestamp = unixSeconds(at);
    const signature = createHmac('sha256', this.secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
    return { 'Stripe-Signature': `t=${timestamp},v1=${signature}` };
  }
}
