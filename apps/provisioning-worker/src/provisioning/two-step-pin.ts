import { createHmac } from 'node:crypto';

/**
 * The WhatsApp two-step verification PIN of a number: six digits derived from the number id with
 * a server secret (HMAC-SHA256), so every retry of a registration sends the same PIN and nothing
 * needs to be stored. Whoever holds the secret can derive it again (re-registering after a
 * deregistration needs it). The secret is TWO_STEP_PIN_KEY, used for nothing else: PINs derived
 * before it existed came from SIP_CREDENTIALS_KEY by this same formula, so setting it to that
 * key's value keeps them (docs/configuration.md).
 */
export function twoStepPin(secret: Buffer, numberId: string): string {
  const digest = createHmac('sha256', secret).update(`whatsapp-two-step-pin:${numberId}`).digest();
  return String(digest.readUInt32BE(0) % 1_000_000).padStart(6, '0');
}
