import { followUpsOf, type AppliedTransition } from './follow-ups';
import { isBillable } from './billable';

const base: AppliedTransition = {
  numberId: 'n1',
  accountId: 'a1',
  paidFirst: false,
  from: 'active',
  to: 'releasing',
  event: 'release_requested',
  at: new Date('2026-11-25T10:00:00Z'),
};

describe('followUpsOf', () => {
  it('releasing an active number releases it at the providers and lowers the quantity', () => {
    const { jobs, events } = followUpsOf(base);
    expect(jobs.map((j) => j.name)).toEqual(['release-number', 'sync-subscription-quantity']);
    expect(jobs[0].payload).toEqual({ numberId: 'n1' });
    expect(events).toEqual([
      {
        name: 'number.status_changed',
        payload: { numberId: 'n1', accountId: 'a1', from: 'active', to: 'releasing', event: 'release_requested', at: '2026-11-25T10:00:00.000Z' },
      },
    ]);
  });

  it('releasing a number that never billed leaves the quantity alone', () => {
    const { jobs } = followUpsOf({ ...base, from: 'provisioning' });
    expect(jobs.map((j) => j.name)).toEqual(['release-number']);
  });

  it('a paid-first number holds its slot until it ends', () => {
    expect(followUpsOf({ ...base, from: 'pending_payment', to: 'provisioning', event: 'payment_confirmed', paidFirst: true }).jobs.map((j) => j.name)).toEqual([
      'sync-subscription-quantity',
    ]);
    expect(followUpsOf({ ...base, from: 'verifying', to: 'active', event: 'whatsapp_verified', paidFirst: true }).jobs).toEqual([]);
  });
});

describe('isBillable', () => {
  it('counts active and suspended numbers, and provisioning ones only when paid first', () => {
    expect(isBillable('active', false)).toBe(true);
    expect(isBillable('suspended', false)).toBe(true);
    expect(isBillable('verifying', false)).toBe(false);
    expect(isBillable('verifying', true)).toBe(true);
    expect(isBillable('pending_payment', true)).toBe(false);
    expect(isBillable('releasing', true)).toBe(false);
  });
});
