import { applyCallEvent, callIdFromClientState, type CallEvent } from '@numbers/domain';
import { WebhookEventHandler, type HandlesWebhookEvent, type StoredWebhookEvent, type WebhookEventContext, type WebhookHandlerResult } from '@numbers/messaging';
import { CallPermissionRepository, CallRepository } from '@numbers/persistence';

/**
 * Telnyx `call.initiated`, `call.answered`, `call.hangup`: the carrier's news of a call we placed.
 * The call is found by our id in `client_state` (or the call control id), locked, and its facts
 * merged with the event's (`applyCallEvent`): duplicates change nothing, and the final state does
 * not depend on the order the events came in. The first time a call is known to have connected,
 * Meta's prompt limits for that consumer start again.
 */
@WebhookEventHandler('telnyx', ['call.initiated', 'call.answered', 'call.hangup'])
export class TelnyxCallEventHandler implements HandlesWebhookEvent<'telnyx'> {
  constructor(
    private readonly calls: CallRepository,
    private readonly permissions: CallPermissionRepository,
  ) {}

  async handle(event: StoredWebhookEvent<'telnyx'>, { tx }: WebhookEventContext): Promise<WebhookHandlerResult> {
    const payload = event.payload.payload;
    const controlId = typeof payload['call_control_id'] === 'string' ? payload['call_control_id'] : null;
    const callId = callIdFromClientState(payload['client_state']);
    const call = (callId ? await this.calls.lock(callId, tx) : null) ?? (controlId ? await this.calls.lockByControlId(controlId, tx) : null);
    if (!call) return { outcome: 'ignored', detail: `call ${callId ?? controlId ?? '?'} is not one of ours` };

    const outcome = applyCallEvent(call.facts, callEventOf(event));
    const learnsControlId = !call.telnyxCallControlId && controlId !== null;
    if (!outcome.changed && !learnsControlId) return { outcome: 'ignored', detail: `call ${call.id} is ${call.facts.status}: nothing new` };

    await this.calls.saveFacts(call, outcome.facts, learnsControlId ? controlId : undefined, tx);
    if (outcome.connected && outcome.facts.answeredAt) {
      await this.permissions.markConnected({ accountId: call.accountId, numberId: call.numberId, consumer: call.to }, outcome.facts.answeredAt, tx);
    }
    return { outcome: 'applied', detail: `call ${call.id}: ${call.facts.status} -> ${outcome.facts.status}` };
  }
}

function timeOf(value: unknown, fallback: Date): Date {
  const at = typeof value === 'string' ? new Date(value) : null;
  return at && !Number.isNaN(at.getTime()) ? at : fallback;
}

function callEventOf(event: StoredWebhookEvent<'telnyx'>): CallEvent {
  const payload = event.payload.payload;
  const occurredAt = timeOf(event.payload.occurred_at, event.receivedAt);
  switch (event.eventType) {
    case 'call.initiated':
      return { type: 'initiated', at: occurredAt };
    case 'call.answered':
      return { type: 'answered', at: occurredAt };
    default:
      return {
        type: 'hangup',
        at: timeOf(payload['end_time'], occurredAt),
        cause: typeof payload['hangup_cause'] === 'string' ? payload['hangup_cause'] : 'unspecified',
      };
  }
}
