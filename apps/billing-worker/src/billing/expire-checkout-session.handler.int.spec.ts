import { newId } from '@numbers/domain';
import type { JobContext } from '@numbers/messaging';
import { Database, NumberLifecycle, PersistenceModule } from '@numbers/persistence';
import { STRIPE_GATEWAY, type StripeGateway } from '@numbers/providers';
import { createTestAccount, startHandlerTestBed, type HandlerTestBed, type SimulatorProcess, type SimulatorState } from '@numbers/test-support';
import { BILLING_REPOSITORIES } from '../testing/money-test-bed';
import { ExpireCheckoutSessionHandler } from './expire-checkout-session.handler';

jest.setTimeout(60_000);

/**
 * Integration: a number that ends unpaid has its Checkout Session expired at Stripe (the
 * `expire-checkout-session` job that `followUpsOf` writes), against a real database of this file
 * and the provider simulator.
 */
describe('ExpireCheckoutSessionHandler', () => {
  let bed: HandlerTestBed<true>;
  let sim: SimulatorProcess;
  let db: Database;
  let lifecycle: NumberLifecycle;
  let stripe: StripeGateway;
  let handler: ExpireCheckoutSessionHandler;
  let accountId: string;
  let profileId: string;
  let customerId: string;

  beforeAll(async () => {
    bed = await startHandlerTestBed({
      imports: [PersistenceModule],
      providers: [ExpireCheckoutSessionHandler, ...BILLING_REPOSITORIES],
      captureWebhooks: true,
    });
    ({ sim } = bed);
    db = bed.moduleRef.get(Database);
    lifecycle = bed.moduleRef.get(NumberLifecycle);
    stripe = bed.moduleRef.get<StripeGateway>(STRIPE_GATEWAY);
    handler = bed.moduleRef.get(ExpireCheckoutSessionHandler);
    ({ accountId, profileId } = await createTestAccount(db));
    ({ customerId } = await stripe.createCustomer({ accountId, name: 'Acme' }, `customer-${accountId}`));
  });

  afterAll(() => bed?.stop());

  function ctx(jobId: string): JobContext {
    return { jobId, name: 'expire-checkout-session', queue: 'billing', attempt: 1, maxAttempts: 10 };
  }

  /** A first purchase waiting for payment; with its Checkout Session unless `session` is false. */
  async function pendingNumber(session = true): Promise<{ numberId: string; sessionId: string | null }> {
    const numberId = newId();
    await db.insertInto('phoneNumbers').values({ id: numberId, accountId, profileId, country: 'US', status: 'pending_payment', paidFirst: true, monthlyCents: 300 }).execute();
    if (!session) return { numberId, sessionId: null };
    const { now } = (await sim.get<{ clock: { now: number } }>('/_sim/clock')).clock;
    const created = await stripe.createCheckoutSession(
      { customerId, accountId, numberId, quantity: 1, successUrl: 'http://127.0.0.1:3000/s', cancelUrl: 'http://127.0.0.1:3000/c', trialEnd: now + 700 * 24 * 3600 },
      `checkout-${numberId}`,
    );
    await db.updateTable('phoneNumbers').set({ stripeCheckoutSessionId: created.id, updatedAt: new Date() }).where('id', '=', numberId).execute();
    return { numberId, sessionId: created.id };
  }

  /** The customer releases it: the lifecycle writes the job this handler runs. */
  async function release(numberId: string): Promise<string> {
    await lifecycle.apply(numberId, 'release_requested', { cause: 'req-release', actor: 'customer' });
    const rows = await db.selectFrom('outbox').select(['id', 'payload']).where('kind', '=', 'job').where('name', '=', 'expire-checkout-session').orderBy('id', 'asc').execute();
    const row = rows.find((r) => JSON.stringify(r.payload) === JSON.stringify({ numberId }));
    if (!row) throw new Error(`no expire-checkout-session job for ${numberId}`);
    return `expire-checkout-session.${row.id}`;
  }

  async function expireCalls(sessionId: string): Promise<SimulatorState['requests']['stripe']> {
    const { requests } = await sim.get<SimulatorState>('/_sim/state');
    return requests.stripe.filter((r) => r.method === 'POST' && r.path === `/v1/checkout/sessions/${sessionId}/expire`);
  }

  it('expires the open session of a number released before payment, so it can no longer be paid; again changes nothing', async () => {
    const { numberId, sessionId } = await pendingNumber();
    const jobId = await release(numberId);

    await expect(handler.handle({ numberId }, ctx(jobId))).resolves.toEqual({ expired: true, sessionId });
    expect((await stripe.getCheckoutSession(sessionId ?? '')).status).toBe('expired');
    await expect(sim.post(`/_sim/stripe/checkout/${sessionId}/pay`, {})).rejects.toThrow(/409/);
    expect((await expireCalls(sessionId ?? '')).map((r) => [r.idempotencyKey, r.replayed])).toEqual([[`expire-checkout-${numberId}`, false]]);

    // A second run of the job (a retry, a redelivery): Stripe replays the same answer.
    await expect(handler.handle({ numberId }, ctx(jobId))).resolves.toEqual({ expired: true, sessionId });
    expect((await expireCalls(sessionId ?? '')).map((r) => r.replayed)).toEqual([false, true]);
  });

  it('tolerates a session closed already: expired by Stripe, or paid in the meantime', async () => {
    const expired = await pendingNumber();
    await sim.post(`/_sim/stripe/checkout/${expired.sessionId}/expire`, {});
    await expect(handler.handle({ numberId: expired.numberId }, ctx(await release(expired.numberId)))).resolves.toEqual({ expired: true, sessionId: expired.sessionId });
    expect((await expireCalls(expired.sessionId ?? '')).map((r) => r.status)).toEqual([400]);

    const paid = await pendingNumber();
    const jobId = await release(paid.numberId);
    await sim.post(`/_sim/stripe/checkout/${paid.sessionId}/pay`, {});
    await expect(handler.handle({ numberId: paid.numberId }, ctx(jobId))).resolves.toEqual({
      expired: false,
      reason: 'session was completed',
      sessionId: paid.sessionId,
    });
    expect((await stripe.getCheckoutSession(paid.sessionId ?? '')).status).toBe('complete');
  });

  it('has nothing to expire for a number without a session, and asks Stripe nothing', async () => {
    const { numberId } = await pendingNumber(false);
    const jobId = await release(numberId);
    const before = (await sim.get<SimulatorState>('/_sim/state')).requests.stripe.length;
    await expect(handler.handle({ numberId }, ctx(jobId))).resolves.toEqual({ expired: false, reason: 'no checkout session' });
    expect((await sim.get<SimulatorState>('/_sim/state')).requests.stripe).toHaveLength(before);
  });
});
