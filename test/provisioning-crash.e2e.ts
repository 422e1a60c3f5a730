// A worker killed with SIGKILL in the middle of each provider step of a purchase: the number still
// reaches `active`, once. The built simulator, gateway, provisioning worker and billing worker run
// as processes (as in provisioning-flow.e2e.ts); for each step the simulator holds that provider
// call, the worker that owns it is killed while the call is in flight, a fresh worker is started,
// and the stalled job (WORKER_LOCK_MS low) runs again. The held call still takes effect at the
// simulator after its caller died, so the rerun has to find what the first attempt did.
import Zernio from '@zernio/node';
import { Database } from '@numbers/persistence';
import { countOf, createTestAccountWithKey, eventually, type SimulatorProcess, type StartedProcess } from '@numbers/test-support';
import { startSystem, type System } from './support/system';

const UNIT = 300; // the simulator's price, cents a month
const HOLD_MS = 4000; // how long the simulator holds the provider call the worker dies in

interface SimState {
  stripe: {
    subscriptions: { id: string; customer: string; status: string; quantity: number; trialEnd: number | null }[];
    invoices: { subscription: string | null; total: number }[];
  };
  telnyx: { orders: { customerReference: string | null; status: string }[] };
  meta: { numbers: { id: string; phoneNumber: string; registered: boolean; codeVerificationStatus: string }[] };
}

type WorkerName = 'provisioning-worker' | 'billing-worker';

let system: System;
let db: Database;
let sim: SimulatorProcess;
const workers = {} as Record<WorkerName, StartedProcess>;
let baseUrl: string;

const numberOf = (id: string) => db.selectFrom('phoneNumbers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const billingOf = (accountId: string) => db.selectFrom('billingAccounts').selectAll().where('accountId', '=', accountId).executeTakeFirstOrThrow();
const charges = (numberId: string) => countOf(db.selectFrom('ledgerEntries').where('numberId', '=', numberId).where('kind', '=', 'charge'));

const startWorker = (name: WorkerName): Promise<StartedProcess> => system.startWorker(name);

beforeAll(async () => {
  // A killed worker's job is found stalled and runs again within a few seconds.
  system = await startSystem({ WORKER_LOCK_MS: '1500' });
  ({ db, sim, baseUrl } = system);
  [workers['provisioning-worker'], workers['billing-worker']] = [system.provisioning, system.billing];
}, 300_000);

afterAll(async () => {
  await system?.stop();
});

afterEach(async () => {
  await sim?.delete('/_sim/faults');
});

type Provider = 'stripe' | 'telnyx' | 'meta';
interface Step {
  step: string;
  worker: WorkerName;
  provider: Provider;
  route: string;
}

const steps: Step[] = [
  {
    step: 'the carrier order (order-number)',
    worker: 'provisioning-worker',
    provider: 'telnyx',
    route: '/v2/number_orders',
  },
  {
    step: 'adding the number at Meta (register-whatsapp)',
    worker: 'provisioning-worker',
    provider: 'meta',
    route: '/graph/:version/:wabaId/phone_numbers',
  },
  {
    step: 'registering at Meta (the code SMS event)',
    worker: 'provisioning-worker',
    provider: 'meta',
    route: '/graph/:version/:phoneNumberId/register',
  },
  {
    step: 'ending the trial at Stripe (start-billing)',
    worker: 'billing-worker',
    provider: 'stripe',
    route: '/v1/subscriptions/:id',
  },
];

describe('a worker killed with SIGKILL in the middle of each step', () => {
  it.each(steps)('$step: the number still reaches active, once', async ({ worker, provider, route }) => {
    const started = Date.now();
    const account = await createTestAccountWithKey(db, { name: `Crash ${worker}`, planCode: 'growth' });
    const z = new Zernio({ apiKey: account.apiKey, baseURL: baseUrl });
    const hold = (path: string) => sim.post('/_sim/faults', { provider, method: 'POST', path, action: 'delay', delayMs: HOLD_MS, times: 1 });
    // Stripe's subscription is also updated at payment (its quantity): hold only the trial's end,
    // armed on this subscription once the number is verifying, before start-billing can run.
    if (provider !== 'stripe') await hold(route);
    // Verifying lasts until Meta's code SMS: delayed, so a poll cannot miss it on a fast run.
    else await sim.post('/_sim/meta/next-code-sms', { delayMs: 3000 });

    await z.whatsappphonenumbers.purchaseWhatsAppPhoneNumber({ body: { profileId: account.profileId } });
    const pending = await db.selectFrom('phoneNumbers').selectAll().where('accountId', '=', account.accountId).limit(1).executeTakeFirstOrThrow();
    const numberId = pending.id;
    await sim.post(`/_sim/stripe/checkout/${pending.stripeCheckoutSessionId}/pay`, {});
    if (provider === 'stripe') {
      await eventually('number verifying', async () => (await numberOf(numberId)).status === 'verifying');
      const { stripeSubscriptionId } = await billingOf(account.accountId);
      await hold(`/v1/subscriptions/${stripeSubscriptionId}`);
    }

    // The fault is used up when the call arrives: the worker is now waiting inside it.
    await eventually('the held call arrived', async () => (await sim.get<{ faults: unknown[] }>('/_sim/faults')).faults.length === 0);
    await new Promise((r) => setTimeout(r, 200));
    workers[worker].kill('SIGKILL');
    expect(await workers[worker].exited).toMatchObject({ signal: 'SIGKILL' });
    if (provider === 'stripe') expect(await charges(numberId)).toBe(0);
    else expect((await numberOf(numberId)).status).not.toBe('active');
    workers[worker] = await startWorker(worker);

    const active = await eventually('number active after the restart', async () => {
      const number = await numberOf(numberId);
      return number.status === 'active' ? number : null;
    });
    const activeAfterMs = Date.now() - started;
    await eventually('billing started', async () => (await charges(numberId)) >= 1);
    // Let everything still in flight land before counting: the held call, webhooks, the outbox.
    await new Promise((r) => setTimeout(r, Math.max(0, started + HOLD_MS + 500 - Date.now())));
    await sim.post('/_sim/webhooks/drain', { timeoutMs: 20_000 });
    await eventually('every webhook processed', async () => (await countOf(db.selectFrom('webhookEvents').where('processedAt', 'is', null))) === 0);
    await eventually('outbox drained', async () => (await countOf(db.selectFrom('outbox').where('publishedAt', 'is', null))) === 0);
    console.log(`${worker} killed in POST ${route}: active ${activeAfterMs} ms after purchase`);

    const history = await db.selectFrom('numberStatusHistory').selectAll().where('numberId', '=', numberId).where('applied', '=', true).orderBy('id').execute();
    expect(history.map((h) => [h.event, h.toStatus])).toEqual([
      ['purchase_accepted', 'pending_payment'],
      ['payment_confirmed', 'provisioning'],
      ['number_ordered', 'verifying'],
      ['whatsapp_verified', 'active'],
    ]);
    expect(await charges(numberId)).toBe(1);

    const state = await sim.get<SimState>('/_sim/state');
    // The carrier: one order for this number, fulfilled.
    expect(state.telnyx.orders.filter((o) => o.customerReference === numberId).map((o) => o.status)).toEqual(['success']);
    // Meta: the number added once, registered.
    expect(state.meta.numbers.filter((n) => n.phoneNumber === active.phoneNumber)).toEqual([
      expect.objectContaining({ id: active.metaPhoneNumberId, registered: true, codeVerificationStatus: 'VERIFIED' }),
    ]);
    // Stripe: one subscription, one unit, the trial ended once: one period charged.
    const billing = await billingOf(account.accountId);
    expect(state.stripe.subscriptions.filter((s) => s.customer === billing.stripeCustomerId)).toEqual([
      expect.objectContaining({ id: billing.stripeSubscriptionId, status: 'active', quantity: 1 }),
    ]);
    const invoices = state.stripe.invoices.filter((i) => i.subscription === billing.stripeSubscriptionId);
    expect(invoices.filter((i) => i.total > 0).map((i) => i.total)).toEqual([UNIT]);
  });
});
