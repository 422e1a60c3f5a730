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
    const syncs = (t: Partial<AppliedTransition>) => followUpsOf({ ...base, ...t }).jobs.filter((j) => j.name === 'sync-subscription-quantity');
    expect(syncs({ from: 'pending_payment', to: 'provisioning', event: 'payment_confirmed', paidFirst: true })).toEqual([
      { name: 'sync-subscription-quantity', payload: { accountId: 'a1', cause: 'payment_confirmed:n1' } },
    ]);
    expect(syncs({ from: 'provisioning', to: 'verifying', event: 'number_ordered', paidFirst: true })).toEqual([]);
    expect(syncs({ from: 'verifying', to: 'active', event: 'whatsapp_verified', paidFirst: true })).toEqual([]);
    expect(syncs({ from: 'verifying', to: 'releasing', event: 'provisioning_failed', paidFirst: true })).toHaveLength(1);
  });
});

describe('followUpsOf along the purchase chain', () => {
  const names = (t: Partial<AppliedTransition>) => followUpsOf({ ...base, ...t }).jobs.map((j) => j.name);

  it('paid for: the number is ordered from the carrier (and a paid-first slot is counted)', () => {
    const { jobs } = followUpsOf({ ...base, from: 'pending_payment', to: 'provisioning', event: 'payment_confirmed', paidFirst: true });
    expect(jobs).toEqual([
      { name: 'order-number', payload: { numberId: 'n1' } },
      { name: 'sync-subscription-quantity', payload: { accountId: 'a1', cause: 'payment_confirmed:n1' } },
    ]);
    expect(names({ from: 'pending_payment', to: 'provisioning', event: 'payment_confirmed', paidFirst: false })).toEqual(['order-number']);
  });

  it('ordered: the number is registered on WhatsApp, from provisioning or after regulatory review', () => {
    expect(followUpsOf({ ...base, from: 'provisioning', to: 'verifying', event: 'number_ordered', paidFirst: true }).jobs).toEqual([
      { name: 'register-whatsapp', payload: { numberId: 'n1' } },
    ]);
    expect(names({ from: 'pending_regulatory', to: 'verifying', event: 'number_ordered', paidFirst: true })).toEqual(['register-whatsapp']);
  });

  it('verified: billing starts, once; a number that was not paid first also enters the quantity', () => {
    expect(followUpsOf({ ...base, from: 'verifying', to: 'active', event: 'whatsapp_verified', paidFirst: true }).jobs).toEqual([
      { name: 'start-billing', payload: { numberId: 'n1' } },
    ]);
    expect(names({ from: 'verifying', to: 'active', event: 'whatsapp_verified', paidFirst: false })).toEqual(['start-billing', 'sync-subscription-quantity']);
  });

  it('a recovered payment does not start billing again', () => {
    expect(names({ from: 'suspended', to: 'active', event: 'payment_recovered' })).toEqual([]);
    expect(names({ from: 'active', to: 'suspended', event: 'payment_failed' })).toEqual([]);
  });

  it('a failed step releases the number and takes its slot out', () => {
    expect(names({ from: 'provisioning', to: 'releasing', event: 'provisioning_failed', paidFirst: true })).toEqual([
      'release-number',
      'sync-subscription-quantity',
    ]);
  });

  it('an expired checkout ends the number with nothing to undo (Stripe closed the session, or there was none)', () => {
    expect(names({ from: 'pending_payment', to: 'released', event: 'checkout_expired', paidFirst: true })).toEqual([]);
  });

  it('a number released before it was paid for has its Checkout Session expired, so it can no longer be paid', () => {
    expect(followUpsOf({ ...base, from: 'pending_payment', to: 'releasing', event: 'release_requested', paidFirst: true }).jobs).toEqual([
      { name: 'release-number', payload: { numberId: 'n1' } },
      { name: 'expire-checkout-session', payload: { numberId: 'n1' } },
    ]);
    expect(names({ from: 'pending_payment', to: 'releasing', event: 'subscription_ended', paidFirst: true })).toContain('expire-checkout-session');
  });

  it('a paid Checkout, or a number that never had one, expires no session', () => {
    const expiresSession = (t: Partial<AppliedTransition>) => names(t).includes('expire-checkout-session');
    expect(expiresSession({ from: 'pending_payment', to: 'provisioning', event: 'payment_confirmed', paidFirst: true })).toBe(false);
    expect(expiresSession({ from: 'provisioning', to: 'releasing', event: 'release_requested', paidFirst: true })).toBe(false);
    expect(expiresSession({ from: 'provisioning', to: 'releasing', event: 'provisioning_failed', paidFirst: false })).toBe(false);
    expect(expiresSession({ from: 'active', to: 'releasing', event: 'release_requested' })).toBe(false);
  });

  it('publishes the change as news on every transition', () => {
    const { events } = followUpsOf({ ...base, from: 'provisioning', to: 'verifying', event: 'number_ordered' });
    expect(events.map((e) => [e.name, e.payload.from, e.payload.to])).toEqual([['number.status_changed', 'provisioning', 'verifying']]);
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
