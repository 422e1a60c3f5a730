import { jobRequest } from '@numbers/contracts';
import { WebhookEventHandler, type HandlesWebhookEvent, type StoredWebhookEvent, type WebhookEventContext, type WebhookHandlerResult } from '@numbers/messaging';
import { NumberLifecycle, OutboxRepository, PhoneNumberRecords } from '@numbers/persistence';
import { parseWhatsAppCode } from '@numbers/providers';

/**
 * Telnyx `message.received`: an SMS to one of our numbers. The one that matters here carries
 * WhatsApp's activation code to a `verifying` number: the code is handed to `verify-whatsapp-code`
 * (through the outbox), which asks Meta outside this transaction. The same code again (a
 * redelivered event) finds the number active: recorded, nothing asked of Meta. Any other text,
 * or a message to a number that is not ours, is ignored.
 */
@WebhookEventHandler('telnyx', 'message.received')
export class MessageReceivedEventHandler implements HandlesWebhookEvent<'telnyx'> {
  constructor(
    private readonly numbers: PhoneNumberRecords,
    private readonly lifecycle: NumberLifecycle,
    private readonly outbox: OutboxRepository,
  ) {}

  async handle(event: StoredWebhookEvent<'telnyx'>, { tx, cause }: WebhookEventContext): Promise<WebhookHandlerResult> {
    const message = event.payload.payload;
    const code = typeof message['text'] === 'string' ? parseWhatsAppCode(message['text']) : null;
    if (code === null) return { outcome: 'ignored', detail: 'not a WhatsApp activation code' };
    const recipients = recipientsOf(message['to']);
    const numbers = await this.numbers.liveByPhoneNumber(recipients, tx);
    const number = numbers.find((n) => n.status === 'verifying') ?? numbers[0];
    if (!number) return { outcome: 'ignored', detail: `${recipients.join(', ') || 'no recipient'} is not one of our numbers` };

    if (number.status !== 'verifying') {
      // A late or repeated code: recorded in the history, nothing asked of Meta.
      await this.lifecycle.apply(number, 'whatsapp_verified', { cause, actor: 'telnyx' }, tx);
      return { outcome: 'ignored', detail: `number ${number.id} is ${number.status}` };
    }
    await this.outbox.add(tx, [jobRequest('verify-whatsapp-code', { numberId: number.id, code, cause })]);
    return { outcome: 'applied', detail: `number ${number.id}: WhatsApp code received, verifying it at Meta` };
  }
}

function recipientsOf(to: unknown): string[] {
  const list = Array.isArray(to) ? to : [to];
  return list
    .map((r) => (typeof r === 'string' ? r : r && typeof r === 'object' ? (r as { phone_number?: unknown }).phone_number : null))
    .filter((p): p is string => typeof p === 'string');
}
