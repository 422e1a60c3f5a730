import { randomUUID } from 'node:crypto';
import type { TelnyxMessageStore } from '../state/telnyx-message.store';
import type { TelnyxStore } from '../state/telnyx.store';
import type { TelnyxEvents } from './telnyx-events';

export class NotOnAccountError extends Error {}

/**
 * Inbound SMS to one of the account's numbers, delivered as Telnyx does: the signed webhook
 * `message.received` with the message as payload (`to[{phone_number}]`, `from{phone_number}`,
 * `text`, `id`). A message to a number the account does not hold never reaches us.
 */
export class TelnyxInboundMessages {
  constructor(
    private readonly numbers: TelnyxStore,
    private readonly messages: TelnyxMessageStore,
    private readonly events: TelnyxEvents,
  ) {}

  /** Whether a message to `to` would reach the account. */
  canReceive(to: string): boolean {
    return this.numbers.findLiveByPhoneNumber(to) !== undefined;
  }

  receive(input: { to: string; from: string; text: string }): Record<string, unknown> {
    const number = this.numbers.findLiveByPhoneNumber(input.to);
    if (!number) throw new NotOnAccountError(`${input.to} is not a number on this account`);
    const receivedAt = new Date().toISOString();
    const id = randomUUID();
    const payload = {
      id,
      record_type: 'message',
      direction: 'inbound',
      type: 'SMS',
      messaging_profile_id: number.messagingProfileId,
      organization_id: '00000000-0000-4000-8000-000000000000',
      from: { phone_number: input.from, carrier: 'Simulated Mobile', line_type: 'Wireless' },
      to: [{ phone_number: input.to, carrier: 'Telnyx', line_type: 'Wireless', status: 'webhook_delivered' }],
      cc: [],
      text: input.text,
      media: [],
      encoding: 'GSM-7',
      parts: 1,
      tags: [],
      cost: null,
      errors: [],
      subject: null,
      received_at: receivedAt,
      sent_at: null,
      completed_at: null,
      valid_until: null,
      webhook_url: null,
      webhook_failover_url: null,
    };
    this.messages.add({ id, to: input.to, from: input.from, text: input.text, receivedAt });
    this.events.send('message.received', payload);
    return payload;
  }
}
