import { NUMBER_STATUSES, type NumberStatus } from '@numbers/contracts';
import { decideTransition } from './decide-transition';
import { LIFECYCLE_EVENTS, type LifecycleEvent } from './lifecycle-events';

// The lifecycle of SPEC "The number lifecycle", written out pair by pair, independently of
// the table it checks.
const LIVE: NumberStatus[] = [
  'pending_payment',
  'provisioning',
  'pending_regulatory',
  'regulatory_declined',
  'verifying',
  'active',
  'suspended',
];
const ALLOWED: Array<[NumberStatus, LifecycleEvent, NumberStatus]> = [
  ['pending_payment', 'payment_confirmed', 'provisioning'],
  ['pending_payment', 'checkout_expired', 'released'],
  ['provisioning', 'regulatory_review_started', 'pending_regulatory'],
  ['pending_regulatory', 'regulatory_declined', 'regulatory_declined'],
  ['regulatory_declined', 'remediation_submitted', 'pending_regulatory'],
  ['provisioning', 'number_ordered', 'verifying'],
  ['pending_regulatory', 'number_ordered', 'verifying'],
  ['verifying', 'whatsapp_verified', 'active'],
  ['verifying', 'registration_conflicted', 'provisioning'],
  ['active', 'payment_failed', 'suspended'],
  ['suspended', 'payment_recovered', 'active'],
  ...LIVE.map((s): [NumberStatus, LifecycleEvent, NumberStatus] => [s, 'release_requested', 'releasing']),
  ...LIVE.map((s): [NumberStatus, LifecycleEvent, NumberStatus] => [s, 'subscription_ended', 'releasing']),
  ['provisioning', 'provisioning_failed', 'releasing'],
  ['pending_regulatory', 'provisioning_failed', 'releasing'],
  ['regulatory_declined', 'provisioning_failed', 'releasing'],
  ['verifying', 'provisioning_failed', 'releasing'],
  ['releasing', 'release_completed', 'released'],
];

const allPairs = NUMBER_STATUSES.flatMap((state) => LIFECYCLE_EVENTS.map((event) => [state, event] as const));

describe('decideTransition over every (state, event) pair', () => {
  it.each(allPairs)('%s + %s', (state, event) => {
    const allowed = ALLOWED.find(([from, e]) => from === state && e === event);
    const decision = decideTransition(state, event);
    if (allowed) {
      expect(decision).toEqual({ ok: true, from: state, to: allowed[2] });
    } else {
      expect(decision.ok).toBe(false);
    }
  });

  it('lists every pair it allows exactly once', () => {
    const keys = ALLOWED.map(([from, e]) => `${from}/${e}`);
    expect(new Set(keys).size).toBe(keys.length);
    const allowedCount = allPairs.filter(([s, e]) => decideTransition(s, e).ok).length;
    expect(allowedCount).toBe(ALLOWED.length);
  });
});

describe('why an event does not fit', () => {
  it('a repeated event finds the number already where it leads', () => {
    expect(decideTransition('releasing', 'release_requested')).toEqual({
      ok: false,
      from: 'releasing',
      reason: 'already_in_target_state',
    });
    expect(decideTransition('active', 'whatsapp_verified')).toMatchObject({ reason: 'already_in_target_state' });
  });

  it('a released number is terminal for every event but the ones that end there', () => {
    expect(decideTransition('released', 'release_requested')).toMatchObject({ reason: 'terminal_state' });
    expect(decideTransition('released', 'release_completed')).toMatchObject({ reason: 'already_in_target_state' });
  });

  it('a late event is out of order', () => {
    expect(decideTransition('active', 'payment_confirmed')).toMatchObject({ reason: 'not_allowed_from_state' });
  });
});
