import { AppConfig } from '@numbers/config';
import { jobRequest } from '@numbers/contracts';
import { awaitsWhatsAppCode, isWhatsAppCodeSender } from '@numbers/domain';
import { WebhookEventHandler, type HandlesWebhookEvent, type StoredWebhookEvent, type WebhookEventContext, type WebhookHandlerResult } from '@numbers/messaging';
import { NumberLifecycle, OutboxRepository, PhoneNumberRecords } from '@numbers/persistence';
import { parseWhatsAppCode } from '@numbers/providers';

/**
 * Telnyx `message.received`: an SMS to one of our numbers. The one that matters here carries
 * WhatsApp's activation code from a sender Meta uses (WHATSAPP_CODE_SMS_SENDERS) to the one
 * number it was requested for, while that number waits for it (verifying, code requested): the
 * code is handed to `verify-whatsapp-code` (through the outbox), which asks Meta outside this
 * transaction. Anyone can text our numbers, and each wrong code uses up one of Meta's attempts,
 * so a code from another sender, to several numbers, or to a number that asked for none is
 * ignored with the reason recorded, Meta not asked. The same code again (a redelivered event)
 * finds the number active: recorded in its history, nothing asked of Meta. Any other text, or a
 * message to a number that is not ours, is ignored.
 */
@WebhookEventHandler('telnyx', 'message.received')
export class MessageReceivedEventHandler implements HandlesWebhookEvent<'telnyx'> {
  constructor(
    private readonly config: AppConfig,
    private readonly numbers: PhoneNumberRecords,
    private readonly lifecycle: NumberLifecycle,
    private readonly outbox: OutboxRepository,
  ) {}

  async handle(event: StoredWebhookEvent<'telnyx'>, { tx, cause }: WebhookEventContext): Promise<WebhookHandlerResult> {
    const message = event.payload.payload;
    const code = typeof message['text'] === 'string' ? parseWhatsAppCode(message['text']) : null;
    if (code === null) return { outcome: 'ignored', detail: 'not a WhatsApp activation code' };
    const sender = senderOf(message['from']);
    if (!isWhatsAppCodeSender(sender, this.config.meta.codeSmsSenders)) {
      return { outcome: 'ignored', detail: `a WhatsApp code from ${sender ?? 'no sender'}, not a sender Meta uses` };
    }
    const recipients = recipientsOf(message['to']);
    if (recipients.length !== 1) return { outcome: 'ignored', detail: `a WhatsApp code to ${recipients.length} numbers: Meta sends it to one` };
    // A number being released may still hold the phone number a new purchase is verifying.
    const numbers = await this.numbers.liveByPhoneNumber(recipients, tx);
    const number = numbers.find((n) => n.status === 'verifying') ?? numbers[0];
    if (!number) return { outcome: 'ignored', detail: `${recipients[0]} is not one of our numbers` };

    if (number.status !== 'verifying') {
      // A late or repeated code: recorded in the history, nothing asked of Meta.
      await this.lifecycle.apply(number, 'whatsapp_verified', { cause, actor: 'telnyx' }, tx);
      return { outcome: 'ignored', detail: `number ${number.id} is ${number.status}` };
    }
    if (!awaitsWhatsAppCode(number)) return { outcome: 'ignored', detail: `number ${number.id} has no WhatsApp code requested` };
    await this.outbox.add(tx, [jobRequest('verify-whatsapp-code', { numberId: number.id, code, cause })]);
    return { outcome: 'applied', detail: `number ${number.id}: WhatsApp code received, verifying it at Meta` };
  }
}

/** Telnyx's `from`: `{phone_number}` (a number or an alphanumeric sender id). */
function senderOf(from: unknown): string | null {
  const sender = typeof from === 'string' ? from : from && typeof from === 'object' ? (from as { phone_number?: unknown }).phone_number : null;
  return typeof sender === 'string' ? sender : null;
}

function recipientsOf(to: unknown): string[] {
  const list = Array.isArray(to) ? to : [to];
  return list
    .map((r) => (typeof r === 'string' ? r : r && typeof r === 'object' ? (r as { phone_number?: unknown }).phone_number : null))
    .filter((p): p is string => typeof p === 'string');
}
