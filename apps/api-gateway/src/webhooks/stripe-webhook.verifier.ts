import type { IncomingHttpHeaders } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import { STRIPE_CLIENT } from '@numbers/providers';
import Stripe from 'stripe';
import { singleHeader, WebhookRejected, type WebhookVerifier } from './webhook-verifier';

/** Stripe's own tolerance: a signature older (or newer) than five minutes is refused. */
export const STRIPE_SIGNATURE_TOLERANCE_S = 300;

/**
 * `Stripe-Signature` (`t=…,v1=HMAC-SHA256(t.body)`), checked by the SDK's own
 * `stripe.webhooks.constructEvent` with `STRIPE_WEBHOOK_SECRET`, on the bytes received.
 */
@Injectable()
export class StripeWebhookVerifier implements WebhookVerifier {
  readonly provider = 'stripe' as const;

  constructor(
    @Inject(STRIPE_CLIENT) private readonly stripe: Stripe,
    private readonly config: AppConfig,
  ) {}

  async verify(rawBody: Buffer, headers: IncomingHttpHeaders): Promise<unknown> {
    const signature = singleHeader(headers, 'stripe-signature');
    if (!signature) throw new WebhookRejected('INVALID_SIGNATURE', 'no Stripe-Signature header');
    try {
      return this.stripe.webhooks.constructEvent(rawBody, signature, this.config.stripe.webhookSecret, STRIPE_SIGNATURE_TOLERANCE_S);
    } catch (error) {
      if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
        throw new WebhookRejected('INVALID_SIGNATURE', error.message);
      }
      // The signature held; the body is not JSON.
      throw new WebhookRejected('INVALID_PAYLOAD', error instanceof Error ? error.message : String(error));
    }
  }
}
