import { createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { unixSeconds } from '../shared/clock';
import type { WebhookSigner } from './webhook-signer';

/**
 * Ed25519 over `${timestamp}|${body}`, sent as `telnyx-signature-ed25519` (base64) and
 * `telnyx-timestamp` (unix seconds), as Telnyx signs API v2 webhooks.
 */
export class TelnyxWebhookSigner implements WebhookSigner {
  readonly provider = 'telnyx' as const;
  private readonly key: KeyObject;

  /** @param privateKeyPemBase64 base64 of a PKCS#8 PEM Ed25519 private key. */
  constructor(privateKeyPemBase64: string) {
    this.key = createPrivateKey(Buffer.from(privateKeyPemBase64, 'base64').toString('utf8'));
    if (this.key.asymmetricKeyType !== 'ed25519') {
      throw new Error('TELNYX_SIGNING_PRIVATE_KEY must be an Ed25519 key');
    }
  }

  sign(body: string, at: Date): Record<string, string> {
    const timestamp = String(unixSeconds(at));
    const signature = sign(null, Buffer.from(`${timestamp}|${body}`, 'utf8'), this.key).toString('base64');
    return { 'telnyx-signature-ed25519': signature, 'telnyx-timestamp': timestamp };
  }

  /** The raw 32-byte public key, base64: what a receiver configures as TELNYX_PUBLIC_KEY. */
  publicKeyBase64(): string {
    const der = createPublicKey(this.key).export({ format: 'der', type: 'spki' });
    return der.subarray(der.length - 32).toString('base64');
  }
}
