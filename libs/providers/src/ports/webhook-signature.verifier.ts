import type { IncomingHttpHeaders } from 'node:http';

/**
 * Checks a provider's signature on the raw bytes of one of its webhooks, the way that provider
 * signs, and returns the body parsed. Throws `WebhookSignatureError` for a missing, forged or
 * stale signature, or a signed body that is not JSON. Calls no provider.
 */
export interface WebhookSignatureVerifier {
  /** `Stripe-Signature` (`t=…,v1=HMAC-SHA256(t.body)`), at most five minutes old. */
  verifyStripe(rawBody: Buffer, headers: IncomingHttpHeaders): Promise<unknown>;
  /** Ed25519 over `timestamp|body` (`telnyx-signature-ed25519`, `telnyx-timestamp` within ±300 s). */
  verifyTelnyx(rawBody: Buffer, headers: IncomingHttpHeaders): Promise<unknown>;
  /** `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`. Meta signs no timestamp: a
   *  replay is caught by the event ids, not here. */
  verifyMeta(rawBody: Buffer, headers: IncomingHttpHeaders): Promise<unknown>;
}

/** A webhook whose signature does not hold (`signature`), or whose signed body is not JSON (`payload`). */
export class WebhookSignatureError extends Error {
  override readonly name = 'WebhookSignatureError';

  constructor(
    readonly problem: 'signature' | 'payload',
    message: string,
  ) {
    super(message);
  }
}
