/**
 * The 6-digit WhatsApp activation code in an SMS, hyphen removed: `WhatsApp code 123-830` →
 * `123830`. Null when the text carries no code (any other message to the number).
 */
export function parseWhatsAppCode(text: string): string | null {
  if (!/whatsapp/i.test(text)) return null;
  const match = /(?<!\d)(\d{3})[-\s]?(\d{3})(?!\d)/.exec(text);
  return match ? `${match[1]}${match[2]}` : null;
}
