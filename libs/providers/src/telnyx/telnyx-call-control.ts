import type Telnyx from 'telnyx';
import type { CallAnswer, CallCommandOutcome, CallTransfer, RecordingLink } from '../ports/carrier.gateway';
import { ProviderError } from '../provider-error';
import { requireIdempotencyKey } from '../require-idempotency-key';
import { fromTelnyxError } from './telnyx-error.mapper';

/**
 * The Call Control commands of `TelnyxSdkCarrierGateway` on a call in progress, over the SDK's
 * `calls.actions.*`. Each carries a `command_id`, which Telnyx deduplicates on (and the same value
 * as `Idempotency-Key`): a job that runs twice sends the same command twice, and the call sees it once. A command on a call that has
 * already ended (Telnyx's 90018) is `call_ended`, not an error: the leg's `call.hangup` says how
 * it ended, and there is nothing left to command.
 */

const CALL_HAS_ALREADY_ENDED = '90018';

/** The options of a command request: its command id as the `Idempotency-Key` header too. */
function keyed(commandId: string) {
  return { headers: { 'Idempotency-Key': requireIdempotencyKey(commandId, 'telnyx call control command') } };
}

async function command(operation: string, send: () => Promise<unknown>): Promise<CallCommandOutcome> {
  try {
    await send();
    return 'done';
  } catch (error) {
    const mapped = fromTelnyxError(error, operation);
    if (mapped instanceof ProviderError && mapped.code === CALL_HAS_ALREADY_ENDED) return 'call_ended';
    throw mapped;
  }
}

export function answerCall(telnyx: Telnyx, input: CallAnswer): Promise<CallCommandOutcome> {
  return command('calls.actions.answer', () =>
    telnyx.calls.actions.answer(
      input.callControlId,
      {
        client_state: input.clientState,
        command_id: input.commandId,
        ...(input.record ? { record: 'record-from-answer' as const, record_channels: 'dual' as const, record_format: 'mp3' as const } : {}),
        ...(input.streamUrl ? { stream_url: input.streamUrl, stream_track: 'both_tracks' as const, stream_bidirectional_mode: 'rtp' as const } : {}),
      },
      keyed(input.commandId),
    ),
  );
}

export function transferCall(telnyx: Telnyx, input: CallTransfer): Promise<CallCommandOutcome> {
  return command('calls.actions.transfer', () =>
    telnyx.calls.actions.transfer(
      input.callControlId,
      {
        to: input.to,
        from: input.from,
        target_leg_client_state: input.targetLegClientState,
        command_id: input.commandId,
        timeout_secs: input.timeoutSecs,
      },
      keyed(input.commandId),
    ),
  );
}

export function rejectCall(telnyx: Telnyx, callControlId: string, commandId: string): Promise<CallCommandOutcome> {
  return command('calls.actions.reject', () => telnyx.calls.actions.reject(callControlId, { cause: 'CALL_REJECTED', command_id: commandId }, keyed(commandId)));
}

export function hangupCall(telnyx: Telnyx, callControlId: string, commandId: string): Promise<CallCommandOutcome> {
  return command('calls.actions.hangup', () => telnyx.calls.actions.hangup(callControlId, { command_id: commandId }, keyed(commandId)));
}

/** `GET /v2/recordings/{id}`: its `download_urls` are pre-signed and short-lived, so one is asked for each time. */
export async function getRecordingLink(telnyx: Telnyx, recordingId: string): Promise<RecordingLink | null> {
  let data;
  try {
    ({ data } = await telnyx.recordings.retrieve(recordingId));
  } catch (error) {
    const mapped = fromTelnyxError(error, 'recordings.retrieve');
    if (mapped instanceof ProviderError && mapped.status === 404) return null;
    throw mapped;
  }
  const url = data?.download_urls?.mp3 ?? data?.download_urls?.wav;
  return url ? { url } : null;
}
