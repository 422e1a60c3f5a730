// Scaled out on a real three-master Redis Cluster: two gateways and two of each worker (the
// provisioning and billing workers) from dist/, every request of the @zernio/node SDK going to
// the gateways in turn. Three accounts buy numbers to active, one buys a second and releases its
// first; every end state is right and each provider effect happened exactly once, whichever
// replica took each job.
import Zernio from '@zernio/node';
import type { Database } from '@numbers/persistence';
import { countOf, createTestAccountWithKey, eventually, startRedisCluster, type RedisClusterProcess, type TestAccountWithKey } from '@numbers/test-support';
import { startSystem, type System } from './support/system';

interface RequestEntry {
  method: string;
  path: string;
  route: string | null;
  status: number;
  replayed: boolean;
}
interface SimState {
  stripe: { subscriptions: { id: string; customer: string; status: string; quantity: number }[] };
  telnyx: { orders: { customerReference: string | null; status: string }[]; numbers: { id: string; status: string }[] };
  meta: { numbers: { id: string; phoneNumber: string; registered: boolean }[] };
  requests: { telnyx: RequestEntry[]; meta: RequestEntry[] };
}

const dataOf = <T>(result: { data?: unknown }): T => result.data as T;

let cluster: RedisClusterProcess;
let system: System;
let db: Database;
let turn = 0;

/** The account's SDK client on the next gateway in turn: consecutive requests alternate between the replicas. */
function via(account: TestAccountWithKey): Zernio {
  const baseURL = system.baseUrls[turn++ % system.baseUrls.length];
  return new Zernio({ apiKey: account.apiKey, baseURL });
}

const simState = () => system.sim.get<SimState>('/_sim/state');
const numberOf = (id: string) => db.selectFrom('phoneNumbers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const inStatus = (id: string, status: string) =>
  eventually(
    `number ${id} ${status}`,
    async () => {
      const number = await numberOf(id);
      return number.status === status ? number : null;
    },
    120_000,
  );

/** A first purchase: Checkout, paid on the simulator's hosted page; resolves to the number's id. */
async function buyFirst(account: TestAccountWithKey): Promise<string> {
  const bought = await via(account).whatsappphonenumbers.purchaseWhatsAppPhoneNumber({ body: { profileId: account.profileId } });
  expect(dataOf<{ checkoutUrl?: string }>(bought).checkoutUrl).toContain('/checkout/');
  const pending = await db.selectFrom('phoneNumbers').selectAll().where('accountId', '=', account.accountId).executeTakeFirstOrThrow();
  expect(pending.status).toBe('pending_payment');
  await system.sim.post(`/_sim/stripe/checkout/${pending.stripeCheckoutSessionId}/pay`, {});
  return pending.id;
}

/** The account's subscription at Stripe, once billing has one. */
async function subscriptionOf(accountId: string) {
  const billing = await db.selectFrom('billingAccounts').selectAll().where('accountId', '=', accountId).executeTakeFirstOrThrow();
  const subscriptions = (await simState()).stripe.subscriptions.filter((s) => s.customer === billing.stripeCustomerId);
  return { billing, subscriptions };
}

const billableOf = (accountId: string) => countOf(db.selectFrom('phoneNumbers').where('accountId', '=', accountId).where('status', '=', 'active'));

beforeAll(async () => {
  cluster = await startRedisCluster();
  system = await startSystem({}, { redisCluster: cluster, replicas: 2 });
  db = system.db;
}, 600_000);

afterAll(async () => {
  await system?.stop();
  await cluster?.stop();
});

it('two of each process on the cluster: three accounts to active, a second number, a release; each provider effect once', async () => {
  expect(system.baseUrls).toHaveLength(2);
  expect(system.processes).toHaveLength(6);
  const accounts = await Promise.all(['Acme', 'Globex', 'Initech'].map((name) => createTestAccountWithKey(db, { name, planCode: 'growth' })));
  const firsts = await Promise.all(accounts.map(buyFirst));
  await Promise.all(firsts.map((id) => inStatus(id, 'active')));

  // A second number for Acme, inline now that it has a subscription, through the other gateway.
  const [acme] = accounts;
  const second = dataOf<{ phoneNumber?: { id: string; status: string } }>(
    await via(acme).whatsappphonenumbers.purchaseWhatsAppPhoneNumber({ body: { profileId: acme.profileId, allowMultiple: true } }),
  );
  expect(second.phoneNumber).toMatchObject({ status: 'provisioning' });
  const secondId = second.phoneNumber?.id ?? '';
  const secondActive = await inStatus(secondId, 'active');

  // Acme releases its first number.
  const released = await via(acme).whatsappphonenumbers.releaseWhatsAppPhoneNumber({ path: { phoneNumberId: firsts[0] } });
  expect(released.response.status).toBe(200);
  const gone = await inStatus(firsts[0], 'released');

  // Stripe: one subscription per account, its quantity the account's billable numbers.
  for (const account of accounts) {
    const billable = await billableOf(account.accountId);
    expect(billable).toBe(1);
    await eventually(`${account.accountId}: quantity ${billable}`, async () => {
      const { subscriptions } = await subscriptionOf(account.accountId);
      return subscriptions.length === 1 && subscriptions[0].quantity === billable;
    });
    const { billing, subscriptions } = await subscriptionOf(account.accountId);
    expect(subscriptions).toEqual([expect.objectContaining({ id: billing.stripeSubscriptionId, status: 'active', quantity: 1 })]);
  }
  // Each number charged once, at its activation.
  for (const id of [...firsts, secondId]) {
    await eventually(`${id} charged`, async () => (await countOf(db.selectFrom('ledgerEntries').where('numberId', '=', id).where('kind', '=', 'charge'))) === 1);
  }

  const state = await simState();
  const numbers = await Promise.all([...firsts, secondId].map(numberOf));
  for (const number of numbers) {
    // The carrier: one order per number, fulfilled.
    expect(state.telnyx.orders.filter((o) => o.customerReference === number.id).map((o) => o.status)).toEqual(['success']);
    // Meta: one registration that took effect per number.
    const registrations = state.requests.meta.filter((r) => r.route?.endsWith('/register') && r.path.includes(`/${number.metaPhoneNumberId}/`) && r.status < 300 && !r.replayed);
    expect(registrations).toHaveLength(1);
  }
  for (const number of numbers.filter((n) => n.id !== gone.id)) {
    expect(state.meta.numbers.filter((n) => n.phoneNumber === number.phoneNumber && n.registered)).toHaveLength(1);
  }
  expect(secondActive.metaVerificationStatus).toBe('VERIFIED');
  // The release: deregistered at Meta and deleted at the carrier, once.
  expect(state.meta.numbers.find((n) => n.id === gone.metaPhoneNumberId)?.registered).toBe(false);
  expect(state.telnyx.numbers.find((n) => n.id === gone.telnyxNumberId)?.status).toBe('deleted');
  const deletes = state.requests.telnyx.filter((r) => r.method === 'DELETE' && r.path.endsWith(`/${gone.telnyxNumberId}`) && r.status < 300 && !r.replayed);
  expect(deletes).toHaveLength(1);
  const completed = await countOf(db.selectFrom('numberStatusHistory').where('numberId', '=', gone.id).where('event', '=', 'release_completed').where('applied', '=', true));
  expect(completed).toBe(1);
  await eventually('outbox drained', async () => (await countOf(db.selectFrom('outbox').where('publishedAt', 'is', null))) === 0);
});
