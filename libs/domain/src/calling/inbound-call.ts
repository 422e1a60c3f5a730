import { normalizeWaId } from './calling-settings';

/**
 * A consumer's call to a business number (SPEC "Calling"): Meta sends it over SIP to the carrier,
 * whose `call.*` webhooks (direction `incoming`) carry who called whom. The calling worker answers
 * the carrier's leg and bridges it to the number's `forwardTo`; these are the rules it follows.
 */

/** The parties of an incoming carrier leg: `from` the consumer, `to` the business number. */
export interface InboundCallParties {
  consumer: string;
  business: string;
}

/** An E.164 number, bare or as a SIP URI's user part (`sip:+4477...@host;...`). */
function numberOf(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const sip = /^sips?:([^@;]+)@/i.exec(value.trim());
  return normalizeWaId(sip ? sip[1] : value);
}

/**
 * The consumer and business number of a carrier leg Meta delivered to us, or null when the leg is
 * not one (an outgoing leg: one we dialed, or a forward leg), or its numbers are not E.164.
 */
export function inboundCallParties(payload: { direction?: unknown; from?: unknown; to?: unknown }): InboundCallParties | null {
  if (payload.direction !== 'incoming') return null;
  const consumer = numberOf(payload.from);
  const business = numberOf(payload.to);
  return consumer && business ? { consumer, business } : null;
}

/** Where an answered inbound call goes: a carrier transfer (a phone number or SIP URI), or a media stream (a `ws(s)://` voice agent). */
export type ForwardTarget = { kind: 'transfer'; to: string } | { kind: 'stream'; url: string };

/** The carrier's destination for a `forwardTo` (`tel:+E164`, `sip:`/`sips:` URI, `ws(s)://` URL); null for anything else. */
export function forwardTarget(forwardTo: string | null): ForwardTarget | null {
  if (!forwardTo) return null;
  const tel = /^tel:(\+[1-9]\d{6,14})$/i.exec(forwardTo);
  if (tel) return { kind: 'transfer', to: tel[1] };
  if (/^sips?:\S+$/i.test(forwardTo)) return { kind: 'transfer', to: forwardTo };
  if (/^wss?:\/\/\S+$/i.test(forwardTo)) return { kind: 'stream', url: forwardTo };
  return null;
}

/** What the answering job does with a call the carrier received. */
export type InboundCallStep =
  /** Answer (again: the same command id) and bridge: a run after the answer still bridges. */
  | { step: 'answer'; target: ForwardTarget }
  /** The number cannot take it (calling off, released, no destination): the carrier rejects the leg, or hangs it up once answered. */
  | { step: 'reject' | 'hangup'; reason: string }
  /** Nothing: the call has ended (the consumer hung up first, or a late run). */
  | { step: 'none'; reason: string };

export function inboundCallStep(call: { status: string }, number: { status: string; callingStatus: string; forwardTo: string | null }): InboundCallStep {
  if (call.status !== 'ringing' && call.status !== 'answered') return { step: 'none', reason: `call is ${call.status}` };
  const refuse = call.status === 'ringing' ? 'reject' : 'hangup';
  if (number.status !== 'active') return { step: refuse, reason: `number is ${number.status}` };
  if (number.callingStatus !== 'enabled') return { step: refuse, reason: `calling is ${number.callingStatus}` };
  const target = forwardTarget(number.forwardTo);
  if (!target) return { step: refuse, reason: 'no forwardTo to bridge the call to' };
  return { step: 'answer', target };
}

/** The forward leg's `client_state`: its webhooks name our call without being taken for the consumer's leg. */
export function forwardLegClientState(callId: string): string {
  return Buffer.from(`forward:${callId}`, 'utf8').toString('base64');
}

/** The call a forward leg's `client_state` belongs to, or null when it is not a forward leg of ours. */
export function callIdFromForwardLegState(clientState: unknown): string | null {
  if (typeof clientState !== 'string' || clientState === '') return null;
  const match = /^forward:([0-9a-f]{24})$/.exec(Buffer.from(clientState, 'base64').toString('utf8'));
  return match ? match[1] : null;
}

/** The carrier's Call Control command ids of one call: a second run of a step is the same command, which the carrier ignores. */
export function callCommandId(step: 'answer' | 'transfer' | 'reject' | 'hangup', callId: string): string {
  return `${step}-${callId}`;
}

/** One call of Meta's `calls` webhook, as the call log reads it. */
export interface MetaCallReport {
  metaCallId: string;
  direction: 'inbound' | 'outbound';
  /** The consumer: the caller of a user-initiated call, the called of a business-initiated one. */
  consumer: string;
  event: string;
  /** When the call began, as near as Meta tells (its start time, else the event's time). */
  startedAt: Date;
}

/** How far apart Meta's start of a call and our record of it may be for the two to be one call. */
export const META_CALL_MATCH_WINDOW_MS = 2 * 60_000;

function epochSeconds(value: unknown): Date | null {
  const seconds = typeof value === 'string' || typeof value === 'number' ? Number(value) : NaN;
  return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : null;
}

/** A call of Meta's `calls` webhook (`value.calls[]`), or null when it lacks what names it. */
export function metaCallReportOf(call: Record<string, unknown>): MetaCallReport | null {
  const metaCallId = typeof call['id'] === 'string' && call['id'] !== '' ? call['id'] : null;
  const direction = call['direction'] === 'USER_INITIATED' ? 'inbound' : call['direction'] === 'BUSINESS_INITIATED' ? 'outbound' : null;
  if (!metaCallId || !direction) return null;
  const consumer = normalizeWaId(String(direction === 'inbound' ? call['from'] : call['to']));
  const startedAt = epochSeconds(call['start_time']) ?? epochSeconds(call['timestamp']);
  if (!consumer || !startedAt) return null;
  return { metaCallId, direction, consumer, event: typeof call['event'] === 'string' ? call['event'] : 'unknown', startedAt };
}
