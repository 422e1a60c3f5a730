import { normalizeWaId } from '@numbers/domain';
import { WebhookEventHandler, type HandlesWebhookEvent, type StoredWebhookEvent, type WebhookEventContext, type WebhookHandlerResult } from '@numbers/messaging';
import { CallPermissionRepository, PhoneNumberRecords } from '@numbers/persistence';

interface InboundMessage {
  from?: unknown;
  id?: unknown;
  timestamp?: unknown;
  type?: unknown;
  interactive?: {
    type?: unknown;
    call_permission_reply?: { response?: unknown; is_permanent?: unknown; expiration_timestamp?: unknown; response_source?: unknown };
  };
}

/**
 * Meta `messages` (one change): consumers writing to one of our numbers. Each message opens (or
 * extends) the 24-hour customer-service window for that consumer; a reply to the call-permission
 * prompt (`interactive.call_permission_reply`) also records the answer: accepted (temporary, or
 * permanent) or refused, the newest answer winning. Message statuses and numbers that are not
 * ours are ignored. One atomic upsert or a row lock per message: safe twice, and in any order.
 */
@WebhookEventHandler('meta', 'messages')
export class MetaMessagesEventHandler implements HandlesWebhookEvent<'meta'> {
  constructor(
    private readonly numbers: PhoneNumberRecords,
    private readonly permissions: CallPermissionRepository,
  ) {}

  async handle(event: StoredWebhookEvent<'meta'>, { tx }: WebhookEventContext): Promise<WebhookHandlerResult> {
    const value = event.payload.value;
    const messages = Array.isArray(value['messages']) ? (value['messages'] as InboundMessage[]) : [];
    if (messages.length === 0) return { outcome: 'ignored', detail: 'no consumer message (statuses only)' };
    const metadata = value['metadata'] as { phone_number_id?: unknown } | undefined;
    const metaPhoneNumberId = typeof metadata?.phone_number_id === 'string' ? metadata.phone_number_id : null;
    const number = metaPhoneNumberId ? await this.numbers.liveByMetaPhoneNumberId(metaPhoneNumberId, tx) : null;
    if (!number) return { outcome: 'ignored', detail: `WhatsApp number ${metaPhoneNumberId ?? '?'} is not one of ours` };

    const done: string[] = [];
    for (const message of messages) {
      const consumer = typeof message.from === 'string' ? normalizeWaId(message.from) : null;
      if (!consumer) continue;
      const ref = { accountId: number.accountId, numberId: number.id, consumer };
      const at = typeof message.timestamp === 'string' || typeof message.timestamp === 'number' ? new Date(Number(message.timestamp) * 1000) : event.receivedAt;
      const reply = message.type === 'interactive' && message.interactive?.type === 'call_permission_reply' ? message.interactive.call_permission_reply : undefined;
      if (reply) {
        const expiry = Number(reply.expiration_timestamp);
        const { after } = await this.permissions.applyReply(
          ref,
          {
            accepted: reply.response === 'accept',
            permanent: reply.is_permanent === true,
            expiresAt: Number.isFinite(expiry) && expiry > 0 ? new Date(expiry * 1000) : null,
            at,
            ...(typeof reply.response_source === 'string' ? { responseSource: reply.response_source } : {}),
          },
          tx,
        );
        done.push(`${consumer}: permission ${after.status}`);
      } else {
        await this.permissions.openWindow(ref, at, tx);
        done.push(`${consumer}: window open`);
      }
    }
    return done.length > 0 ? { outcome: 'applied', detail: done.join('; ') } : { outcome: 'ignored', detail: 'no message from a consumer' };
  }
}
