import type { IncomingHttpHeaders } from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import Stripe from 'stripe';
import type Telnyx from 'telnyx';
import { WebhookSignatureError, type WebhookSignatureVerifier } from '../ports/webhook-signature.verifier';

/** Stripe's own tolerance: a signature older than five minutes is refused. */
const STRIPE_SIGNATURE_TOLERANCE_S = 300;

const TELNYX_SIGNATURE = 'telnyx-signature-ed25519';
const TELNYX_TIMESTAMP = 'telnyx-timestamp';
const META_SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

export interface WebhookSecrets {
  /** STRIPE_WEBHOOK_SECRET */
  stripeWebhookSecret: string;
  /** TELNYX_PUBLIC_KEY */
  telnyxPublicKey: string;
  /** META_APP_SECRET */
  metaAppSecret: string;
}

/**
 * The signature checks of the official SDKs: Stripe's `webhooks.constructEvent`, Telnyx's
 * `webhooks.unwrap`; Meta has no Node SDK, so its HMAC is checked here, in constant time.
 */
export class SdkWebhookSignatureVerifier implements WebhookSignatureVerifier {
  constructor(
    private readonly stripe: Stripe,
    private readonly telnyx: Telnyx,
    private readonly secrets: WebhookSecrets,
  ) {}

  async verifyStripe(rawBody: Buffer, headers: IncomingHttpHeaders): Promise<unknown> {
    const signature = singleHeader(headers, 'stripe-signature');
    if (!signature) throw new WebhookSignatureError('signature', 'no Stripe-Signature header');
    try {
      return this.stripe.webhooks.constructEvent(rawBody, signature, this.secrets.stripeWebhookSecret, STRIPE_SIGNATURE_TOLERANCE_S);
    } catch (error) {
      if (error instanceof Stripe.errors.StripeSignatureVerificationError) throw new WebhookSignatureError('signature', error.message);
      // The signature held; the body is not JSON.
      throw new WebhookSignatureError('payload', error instanceof Error ? error.message : String(error));
    }
  }

  async verifyTelnyx(rawBody: Buffer, headers: IncomingHttpHeaders): Promise<unknown> {
    const signature = singleHeader(headers, TELNYX_SIGNATURE);
    const timestamp = singleHeader(headers, TELNYX_TIMESTAMP);
    if (!signature || !timestamp) throw new WebhookSignatureError('signature', `no ${TELNYX_SIGNATURE} or ${TELNYX_TIMESTAMP} header`);
    try {
      return await this.telnyx.webhooks.unwrap(rawBody.toString('utf8'), {
        headers: { [TELNYX_SIGNATURE]: signature, [TELNYX_TIMESTAMP]: timestamp },
        key: this.secrets.telnyxPublicKey,
      });
    } catch (error) {
      // unwrap verifies, then parses: only the parse throws a SyntaxError.
      if (error instanceof SyntaxError) throw new WebhookSignatureError('payload', 'body is not JSON');
      throw new WebhookSignatureError('signature', error instanceof Error ? error.message : String(error));
    }
  }

  async verifyMeta(rawBody: Buffer, headers: IncomingHttpHeaders): Promise<unknown> {
    const header = singleHeader(headers, 'x-hub-signature-256');
    const hex = header ? META_SIGNATURE.exec(header)?.[1] : undefined;
    if (!hex) throw new WebhookSignatureError('signature', 'no X-Hub-Signature-256: sha256=<hex> header');
    const expected = createHmac('sha256', this.secrets.metaAppSecret).update(rawBody).digest();
    if (!timingSafeEqual(Buffer.from(hex, 'hex'), expected)) {
      throw new WebhookSignatureError('signature', 'X-Hub-Signature-256 does not match the body');
    }
    try {
      return JSON.parse(rawBody.toString('utf8'));
    } catch {
      throw new WebhookSignatureError('payload', 'body is not JSON');
    }
  }
}

/** A header that must be sent exactly once. */
function singleHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
