import { callEndReason, type CallStatus } from '@numbers/domain';
import type { Call } from '@numbers/persistence';

/** A call as the SDK's call log shows it (`ListWhatsAppCallsResponse.calls[]`), plus our own fields. */
export interface CallRecordView {
  direction: 'outbound' | 'inbound';
  from: string;
  to: string;
  status: CallStatus;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  durationSeconds: number | null;
  endReason: 'hangup' | 'no_answer' | 'rejected' | 'error' | null;
  hangupCause: string | null;
  telnyxCallControlId: string | null;
  forwardTo: string | null;
  recordingEnabled: boolean;
  /** Where the recording is fetched (this API, which answers a fresh short-lived URL); null while there is none. */
  recordingUrl: string | null;
  /** Meta's id of the call (`wacid.*`), once Meta told it. */
  metaCallId: string | null;
}

function fieldsOf(call: Call): CallRecordView {
  const { status } = call;
  // `to` holds the consumer and `fromNumber` the business number, whichever way the call went.
  const inbound = call.direction === 'inbound';
  return {
    direction: call.direction,
    from: inbound ? call.to : call.fromNumber,
    to: inbound ? call.fromNumber : call.to,
    status,
    startedAt: call.createdAt.toISOString(),
    answeredAt: call.answeredAt?.toISOString() ?? null,
    endedAt: call.endedAt?.toISOString() ?? null,
    durationSeconds: call.durationSeconds,
    endReason: callEndReason({ status, hangupCause: call.hangupCause }),
    hangupCause: call.hangupCause,
    telnyxCallControlId: call.telnyxCallControlId,
    forwardTo: call.forwardTo,
    recordingEnabled: call.recordingEnabled,
    recordingUrl: call.recordingId ? `/v1/whatsapp/calls/${call.id}/recording?accountId=${call.numberId}` : null,
    metaCallId: call.metaCallId,
  };
}

/** In lists: `_id`, as the SDK's list types show. */
export function presentCallListItem(call: Call): { _id: string } & CallRecordView {
  return { _id: call.id, ...fieldsOf(call) };
}

/** Alone (`GET /v1/whatsapp/calls/{id}`): `id`, and `_id` for clients that read the list's key. */
export function presentCall(call: Call): { id: string; _id: string } & CallRecordView {
  return { id: call.id, _id: call.id, ...fieldsOf(call) };
}
