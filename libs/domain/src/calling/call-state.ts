/**
 * A call's life as the carrier reports it (SPEC "Calling"): `dialing` when we accept it, then
 * `ringing`, `answered`, and `ended` or `failed`, from the carrier's call webhooks. Webhooks come
 * at least once and in any order, so the state is a function of the set of facts seen (when it
 * rang, was answered, hung up, and why), never of their order: a late `call.answered` cannot take
 * an ended call back, and a call whose hang-up came first still ends `ended` with its duration.
 */

export const CALL_STATUSES = ['dialing', 'ringing', 'answered', 'ended', 'failed'] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

/** The statuses a caller may filter the call log by (the SDK's). */
export const CALL_LIST_STATUSES = ['ringing', 'answered', 'ended', 'failed'] as const;
export const CALL_DIRECTIONS = ['outbound', 'inbound'] as const;

export interface CallFacts {
  status: CallStatus;
  answeredAt: Date | null;
  endedAt: Date | null;
  hangupCause: string | null;
  durationSeconds: number | null;
}

export type CallEvent =
  | { type: 'initiated'; at: Date }
  | { type: 'answered'; at: Date }
  | { type: 'hangup'; at: Date; cause: string }
  /** The carrier refused to place the call at all (no webhook will follow). */
  | { type: 'dial_failed'; at: Date; cause: string };

export interface CallEventOutcome {
  /** Whether anything changed (false: a duplicate, or a step the call is past). */
  changed: boolean;
  facts: CallFacts;
  /** This event connected the call (first time it is known to be answered): the prompt limits reset. */
  connected: boolean;
}

/** Hang-up causes that mean the call was up and then cleared normally. */
const CONNECTED_HANGUP_CAUSES = new Set(['normal_clearing']);

const RANK: Record<CallStatus, number> = { dialing: 0, ringing: 1, answered: 2, ended: 3, failed: 3 };

export function isFinalCallStatus(status: CallStatus): boolean {
  return RANK[status] === 3;
}

function durationOf(answeredAt: Date | null, endedAt: Date | null): number | null {
  if (!answeredAt || !endedAt) return null;
  return Math.max(0, Math.round((endedAt.getTime() - answeredAt.getTime()) / 1000));
}

/** The facts after one carrier event. Pure; the same event twice changes nothing the second time. */
export function applyCallEvent(facts: CallFacts, event: CallEvent): CallEventOutcome {
  const next: CallFacts = { ...facts };
  let connected = false;
  switch (event.type) {
    case 'initiated':
      if (RANK[next.status] < RANK.ringing) next.status = 'ringing';
      break;
    case 'answered':
      if (!next.answeredAt || event.at.getTime() < next.answeredAt.getTime()) {
        connected = !next.answeredAt;
        next.answeredAt = event.at;
      }
      if (RANK[next.status] < RANK.answered) next.status = 'answered';
      // The hang-up came first and did not say the call was up: it was, so it ended.
      else if (next.status === 'failed' && next.endedAt) next.status = 'ended';
      if (next.status === 'ended') next.durationSeconds = durationOf(next.answeredAt, next.endedAt);
      break;
    case 'hangup':
      if (next.endedAt) break; // the first hang-up is the one
      next.endedAt = event.at;
      next.hangupCause = event.cause;
      next.status = next.answeredAt || CONNECTED_HANGUP_CAUSES.has(event.cause) ? 'ended' : 'failed';
      next.durationSeconds = next.status === 'ended' ? durationOf(next.answeredAt, next.endedAt) : 0;
      break;
    case 'dial_failed':
      if (next.status !== 'dialing') break;
      next.status = 'failed';
      next.endedAt = event.at;
      next.hangupCause = event.cause;
      next.durationSeconds = 0;
      break;
  }
  const changed =
    next.status !== facts.status ||
    next.answeredAt?.getTime() !== facts.answeredAt?.getTime() ||
    next.endedAt?.getTime() !== facts.endedAt?.getTime() ||
    next.hangupCause !== facts.hangupCause ||
    next.durationSeconds !== facts.durationSeconds;
  return { changed, facts: next, connected };
}

/** The SDK's `endReason` of a finished call. */
export type CallEndReason = 'hangup' | 'no_answer' | 'rejected' | 'error';

export function callEndReason(facts: Pick<CallFacts, 'status' | 'hangupCause'>): CallEndReason | null {
  if (facts.status === 'ended') return 'hangup';
  if (facts.status !== 'failed') return null;
  switch (facts.hangupCause) {
    case 'no_answer':
    case 'timeout':
    case 'originator_cancel':
      return 'no_answer';
    case 'user_busy':
    case 'call_rejected':
      return 'rejected';
    default:
      return 'error';
  }
}

/** The hang-up cause of a call the sweep ended because the carrier never told us how it ended. */
export const CALL_STATE_LOST = 'call_state_lost';

/**
 * What ends a call that is still `dialing` or `ringing` long past any ring timeout (its dial job
 * or the carrier's webhooks were lost): a dial that never happened fails as a refused dial; a call
 * that rang hangs up unanswered. Null for a call past those states (it is not stalled there).
 */
export function stalledCallEvent(status: CallStatus, at: Date): CallEvent | null {
  switch (status) {
    case 'dialing':
      return { type: 'dial_failed', at, cause: CALL_STATE_LOST };
    case 'ringing':
      return { type: 'hangup', at, cause: CALL_STATE_LOST };
    default:
      return null;
  }
}
