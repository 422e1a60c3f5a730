/** Meta's verification status of a number while its activation code is out: requested, not verified yet. */
export const WHATSAPP_CODE_REQUESTED = 'NOT_VERIFIED';

/** A sender as compared: a phone number by its digits (`+1 555-000 1111` is `15550001111`), a name (alphanumeric sender id) case-insensitively. */
function senderKey(sender: string): string {
  const trimmed = sender.trim();
  return /^\+?[\d\s().-]+$/.test(trimmed) ? trimmed.replace(/\D/g, '') : trimmed.toLowerCase();
}

/**
 * Whether an SMS comes from a sender Meta sends activation codes from (WHATSAPP_CODE_SMS_SENDERS).
 * Anyone can text our numbers: a code from anyone else is not Meta's.
 */
export function isWhatsAppCodeSender(sender: string | null, metaSenders: readonly string[]): boolean {
  if (sender === null || sender.trim() === '') return false;
  const key = senderKey(sender);
  return key !== '' && metaSenders.some((allowed) => senderKey(allowed) === key);
}

/**
 * Whether a number waits for its activation code: verifying, with a code requested from Meta.
 * Only then may a code be submitted: each wrong one uses up one of Meta's attempts.
 */
export function awaitsWhatsAppCode(number: { status: string; metaVerificationStatus: string | null }): boolean {
  return number.status === 'verifying' && number.metaVerificationStatus === WHATSAPP_CODE_REQUESTED;
}
