import { META_CALL_MATCH_WINDOW_MS, metaCallReportOf } from '@numbers/domain';
import { WebhookEventHandler, type HandlesWebhookEvent, type StoredWebhookEvent, type WebhookEventContext, type WebhookHandlerResult } from '@numbers/messaging';
import { CallRepository, PhoneNumberRecords } from '@numbers/persistence';

/**
 * Meta `calls` (one change): Meta's own account of the calls of one of our numbers (`connect`,
 * `terminate`, with Meta's call id, `wacid.*`). The carrier's webhooks drive a call's state; Meta's
 * tell us its id at Meta, which the call log and call events then show (`metaCallId`). A report is
 * matched to the number's latest call with that consumer and direction, begun within
 * `META_CALL_MATCH_WINDOW_MS` of Meta's start, that has no Meta id yet: a second report of the
 * same call (its `terminate`, or a redelivery) finds it already named and changes nothing.
 */
@WebhookEventHandler('meta', 'calls')
export class MetaCallsEventHandler implements HandlesWebhookEvent<'meta'> {
  constructor(
    private readonly numbers: PhoneNumberRecords,
    private readonly calls: CallRepository,
  ) {}

  async handle(event: StoredWebhookEvent<'meta'>, { tx }: WebhookEventContext): Promise<WebhookHandlerResult> {
    const value = event.payload.value;
    const reported = Array.isArray(value['calls']) ? (value['calls'] as Record<string, unknown>[]) : [];
    const metadata = value['metadata'] as { phone_number_id?: unknown } | undefined;
    const metaPhoneNumberId = typeof metadata?.phone_number_id === 'string' ? metadata.phone_number_id : null;
    const number = metaPhoneNumberId ? await this.numbers.liveByMetaPhoneNumberId(metaPhoneNumberId, tx) : null;
    if (!number) return { outcome: 'ignored', detail: `WhatsApp number ${metaPhoneNumberId ?? '?'} is not one of ours` };

    const named: string[] = [];
    for (const call of reported) {
      const report = metaCallReportOf(call);
      if (!report) continue;
      const callId = await this.calls.recordMetaCallId(
        { numberId: number.id, consumer: report.consumer, direction: report.direction, at: report.startedAt, windowMs: META_CALL_MATCH_WINDOW_MS },
        report.metaCallId,
        tx,
      );
      if (callId) named.push(`call ${callId} is ${report.metaCallId} at Meta`);
    }
    if (named.length === 0) return { outcome: 'ignored', detail: `no call of ours to name (${reported.length} reported, already named or not found)` };
    return { outcome: 'applied', detail: named.join('; ') };
  }
}
