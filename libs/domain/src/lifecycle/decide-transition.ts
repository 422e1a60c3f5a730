import type { NumberStatus } from '@numbers/contracts';
import type { LifecycleEvent } from './lifecycle-events';
import { TRANSITIONS } from './transition-table';

export type TransitionRejection =
  /** The number is already where this event would take it (a repeated event). */
  | 'already_in_target_state'
  /** The number has ended; nothing moves it any more. */
  | 'terminal_state'
  /** The event does not fit the current state (late or out of order). */
  | 'not_allowed_from_state';

export type TransitionDecision =
  | { ok: true; from: NumberStatus; to: NumberStatus }
  | { ok: false; from: NumberStatus; reason: TransitionRejection };

function targetsOf(event: LifecycleEvent): NumberStatus[] {
  return [...new Set(Object.values(TRANSITIONS[event]))] as NumberStatus[];
}

/** Applies the lifecycle table: where does `event` take a number that is in `current`? */
export function decideTransition(current: NumberStatus, event: LifecycleEvent): TransitionDecision {
  const to = TRANSITIONS[event][current];
  if (to) return { ok: true, from: current, to };
  if (targetsOf(event).includes(current)) return { ok: false, from: current, reason: 'already_in_target_state' };
  if (current === 'released') return { ok: false, from: current, reason: 'terminal_state' };
  return { ok: false, from: current, reason: 'not_allowed_from_state' };
}
