import { callIdFromClientState } from '@numbers/domain';
import { WebhookEventHandler, type HandlesWebhookEvent, type StoredWebhookEvent, type WebhookEventContext, type WebhookHandlerResult } from '@numbers/messaging';
import { CallRepository } from '@numbers/persistence';

/**
 * Telnyx `call.recording.saved`: the carrier's recording of a call (one we placed or answered
 * with recording on) moves onto the call, found by our id in `client_state` or the call control
 * id. Only the recording's id is kept: its download URLs expire, so a fresh one is asked for each
 * time the customer fetches it. The latest recording saved wins, whatever order the events came in.
 */
@WebhookEventHandler('telnyx', 'call.recording.saved')
export class TelnyxRecordingEventHandler implements HandlesWebhookEvent<'telnyx'> {
  constructor(private readonly calls: CallRepository) {}

  async handle(event: StoredWebhookEvent<'telnyx'>, { tx }: WebhookEventContext): Promise<WebhookHandlerResult> {
    const payload = event.payload.payload;
    const recordingId = typeof payload['recording_id'] === 'string' && payload['recording_id'] !== '' ? payload['recording_id'] : null;
    if (!recordingId) return { outcome: 'ignored', detail: 'no recording_id' };
    const controlId = typeof payload['call_control_id'] === 'string' ? payload['call_control_id'] : null;
    const callId = callIdFromClientState(payload['client_state']);
    const call = (callId ? await this.calls.lock(callId, tx) : null) ?? (controlId ? await this.calls.lockByControlId(controlId, tx) : null);
    if (!call) return { outcome: 'ignored', detail: `call ${callId ?? controlId ?? '?'} is not one of ours` };
    const endedAt = typeof payload['recording_ended_at'] === 'string' ? new Date(payload['recording_ended_at']) : null;
    const savedAt = endedAt && !Number.isNaN(endedAt.getTime()) ? endedAt : event.receivedAt;
    const saved = await this.calls.saveRecording(call.id, recordingId, savedAt, tx);
    return saved ? { outcome: 'applied', detail: `call ${call.id}: recording ${recordingId}` } : { outcome: 'ignored', detail: `call ${call.id} has a later recording` };
  }
}
