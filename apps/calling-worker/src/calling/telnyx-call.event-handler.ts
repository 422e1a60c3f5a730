import { jobRequest } from '@numbers/contracts';
import { applyCallEvent, callIdFromClientState, callIdFromForwardLegState, inboundCallParties, isFinalCallStatus, newId, type CallEvent } from '@numbers/domain';
import { WebhookEventHandler, type HandlesWebhookEvent, type StoredWebhookEvent, type WebhookEventContext, type WebhookHandlerResult } from '@numbers/messaging';
import { CallPermissionRepository, CallRepository, OutboxRepository, PhoneNumberRecords, type LockedCall, type Tx } from '@numbers/persistence';

/**
 * Telnyx `call.initiated`, `call.answered`, `call.hangup`: the carrier's news of a call. A call we
 * placed is found by our id in `client_state` (or the call control id); a consumer's call (an
 * incoming leg Meta sent us) is recorded the first time any of its events arrives, with the job
 * that answers it and the customer's `call.received`. The call is locked and its facts merged
 * with the event's (`applyCallEvent`): duplicates change nothing, and the final state does not
 * depend on the order the events came in. The first time a call is known to have connected,
 * Meta's prompt limits for that consumer start again. A forward leg's hang-up (the bridge of a
 * consumer's call ended, or never came up) has the consumer's leg hung up.
 */
@WebhookEventHandler('telnyx', ['call.initiated', 'call.answered', 'call.hangup'])
export class TelnyxCallEventHandler implements HandlesWebhookEvent<'telnyx'> {
  constructor(
    private readonly calls: CallRepository,
    private readonly permissions: CallPermissionRepository,
    private readonly numbers: PhoneNumberRecords,
    private readonly outbox: OutboxRepository,
  ) {}

  async handle(event: StoredWebhookEvent<'telnyx'>, { tx }: WebhookEventContext): Promise<WebhookHandlerResult> {
    const payload = event.payload.payload;
    const forwardOf = callIdFromForwardLegState(payload['client_state']);
    if (forwardOf) return this.forwardLegEvent(event, forwardOf, tx);

    const controlId = typeof payload['call_control_id'] === 'string' ? payload['call_control_id'] : null;
    const callId = callIdFromClientState(payload['client_state']);
    let call = (callId ? await this.calls.lock(callId, tx) : null) ?? (controlId ? await this.calls.lockByControlId(controlId, tx) : null);
    let received = false;
    if (!call && controlId) {
      const inbound = await this.receive(event, controlId, tx);
      if (typeof inbound === 'string') return { outcome: 'ignored', detail: inbound };
      if (inbound) ({ call, created: received } = inbound);
    }
    if (!call) return { outcome: 'ignored', detail: `call ${callId ?? controlId ?? '?'} is not one of ours` };

    const outcome = applyCallEvent(call.facts, callEventOf(event));
    const learnsControlId = !call.telnyxCallControlId && controlId !== null;
    if (!outcome.changed && !learnsControlId) {
      return received ? { outcome: 'applied', detail: `call ${call.id} received` } : { outcome: 'ignored', detail: `call ${call.id} is ${call.facts.status}: nothing new` };
    }

    await this.calls.saveFacts(call, outcome.facts, learnsControlId ? controlId : undefined, tx);
    if (outcome.connected && outcome.facts.answeredAt) {
      await this.permissions.markConnected({ accountId: call.accountId, numberId: call.numberId, consumer: call.to }, outcome.facts.answeredAt, tx);
    }
    return { outcome: 'applied', detail: `call ${call.id}${received ? ' received' : ''}: ${call.facts.status} -> ${outcome.facts.status}` };
  }

  /**
   * A consumer's call to one of our numbers, recorded (or found, when another of its events did
   * first); a reason to ignore it when the leg is not a consumer's call or the number is not ours.
   */
  private async receive(event: StoredWebhookEvent<'telnyx'>, controlId: string, tx: Tx): Promise<{ call: LockedCall; created: boolean } | string | null> {
    const parties = inboundCallParties(event.payload.payload);
    if (!parties) return null;
    const [number] = await this.numbers.liveByPhoneNumber([parties.business], tx);
    if (!number) return `${parties.business} is not one of our numbers`;
    const startedAt = timeOf(event.payload.payload['start_time'], timeOf(event.payload.occurred_at, event.receivedAt));
    return this.calls.receiveInbound(
      {
        id: newId(startedAt),
        accountId: number.accountId,
        numberId: number.id,
        fromNumber: parties.business,
        to: parties.consumer,
        forwardTo: number.callingForwardTo,
        recordingEnabled: number.callingRecordingEnabled,
        telnyxCallControlId: controlId,
        createdAt: startedAt,
      },
      tx,
    );
  }

  /** The bridge of a consumer's call: its hang-up hangs up the consumer's leg (the carrier keeps it up when a transfer fails). */
  private async forwardLegEvent(event: StoredWebhookEvent<'telnyx'>, callId: string, tx: Tx): Promise<WebhookHandlerResult> {
    if (event.eventType !== 'call.hangup') return { outcome: 'ignored', detail: `forward leg of call ${callId}: ${event.eventType}` };
    const call = await this.calls.lock(callId, tx);
    if (!call || isFinalCallStatus(call.facts.status)) return { outcome: 'ignored', detail: `forward leg of call ${callId} ended; the call has ended too` };
    await this.outbox.add(tx, [jobRequest('hang-up-inbound-call', { callId })]);
    const cause = typeof event.payload.payload['hangup_cause'] === 'string' ? event.payload.payload['hangup_cause'] : 'unspecified';
    return { outcome: 'applied', detail: `forward leg of call ${callId} ended (${cause}): hanging up the consumer's leg` };
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
