/**
 * How the next dialed call goes (control API): `answered` after `ringMs`, then hung up by the
 * consumer after `talkMs` (null: it stays up until `POST /_sim/telnyx/calls/:id/hangup`);
 * `busy`, `no_answer` (after `ringMs`) or `failed`. `delivery: at_end` holds the call's webhooks
 * and sends them as one batch when the call ends, so the webhook policy's `shuffle` reorders them.
 */
export interface CallScript {
  outcome: 'answered' | 'busy' | 'no_answer' | 'failed';
  ringMs: number;
  talkMs: number | null;
  delivery: 'live' | 'at_end';
}

export const DEFAULT_CALL_SCRIPT: CallScript = { outcome: 'answered', ringMs: 0, talkMs: null, delivery: 'live' };

export type TelnyxCallState = 'ringing' | 'answered' | 'hangup';

/**
 * How a consumer's call to a business number goes (control API): the consumer hangs up `talkMs`
 * after the answer (null: when told to), or gives up unanswered after `giveUpMs`; a transfer's
 * new leg is answered after `forward.ringMs`, or is busy, or not answered.
 */
export interface InboundCallScript {
  talkMs: number | null;
  giveUpMs: number;
  forward: { outcome: 'answered' | 'busy' | 'no_answer'; ringMs: number };
}

/** A recording the carrier made of a call, kept to be fetched (`GET /v2/recordings/:id`). */
export interface TelnyxRecordingRecord {
  id: string;
  callControlId: string;
  callLegId: string;
  callSessionId: string;
  startedAt: string;
  endedAt: string;
  channels: 'single' | 'dual';
  format: 'mp3' | 'wav';
}

export interface TelnyxCallRecord {
  /** `outgoing`: dialed (or a transfer's new leg); `incoming`: a consumer's call Meta sent us. */
  direction: 'incoming' | 'outgoing';
  callControlId: string;
  callLegId: string;
  callSessionId: string;
  connectionId: string;
  from: string;
  to: string;
  clientState: string | null;
  commandId: string | null;
  sipAuthUsername: string | null;
  sipTransportProtocol: string | null;
  state: TelnyxCallState;
  script: CallScript;
  /** Why it was not put through (Meta refused it), if so. */
  rejectedBecause: string | null;
  hangupCause: string | null;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  /** Record from the answer (`record: record-from-answer`). */
  record: boolean;
  /** Call Control commands applied, by command id (a repeated command id does nothing). */
  commands: { name: string; commandId: string | null; body: Record<string, unknown> }[];
  /** An incoming call's script, Meta's id of it, and the consumer's number. */
  inbound: (InboundCallScript & { metaCallId: string; consumer: string; business: string }) | null;
  /** On a transfer's new leg: the call it was made for. */
  bridgedWith: string | null;
  /** Webhooks sent (or held for the end), in the order they happened. */
  events: { eventType: string; id: string; occurredAt: string }[];
}

/** Telnyx Call Control: calls dialed, the default script and scripts queued for the next dials. */
export class TelnyxCallStore {
  private readonly calls = new Map<string, TelnyxCallRecord>();
  private readonly byCommandId = new Map<string, TelnyxCallRecord>();
  private readonly recordings = new Map<string, TelnyxRecordingRecord>();
  policy: CallScript = { ...DEFAULT_CALL_SCRIPT };
  private queued: CallScript[] = [];

  add(call: TelnyxCallRecord): void {
    this.calls.set(call.callControlId, call);
    if (call.commandId) this.byCommandId.set(`${call.connectionId}|${call.commandId}`, call);
  }

  get(callControlId: string): TelnyxCallRecord | undefined {
    return this.calls.get(callControlId);
  }

  /** A call already dialed with this command id (Telnyx ignores the second dial). */
  byCommand(connectionId: string, commandId: string): TelnyxCallRecord | undefined {
    return this.byCommandId.get(`${connectionId}|${commandId}`);
  }

  addRecording(recording: TelnyxRecordingRecord): void {
    this.recordings.set(recording.id, recording);
  }

  recording(id: string): TelnyxRecordingRecord | undefined {
    return this.recordings.get(id);
  }

  listRecordings(): TelnyxRecordingRecord[] {
    return [...this.recordings.values()];
  }

  queue(script: CallScript, times: number): void {
    for (let i = 0; i < times; i++) this.queued.push(script);
  }

  /** The script of the next dial: a queued one first, else the policy. */
  nextScript(): CallScript {
    return this.queued.shift() ?? { ...this.policy };
  }

  queuedScripts(): CallScript[] {
    return [...this.queued];
  }

  list(): TelnyxCallRecord[] {
    return [...this.calls.values()];
  }

  clear(): void {
    this.calls.clear();
    this.byCommandId.clear();
    this.recordings.clear();
    this.policy = { ...DEFAULT_CALL_SCRIPT };
    this.queued = [];
  }
}
