// Scaled out on a real three-master Redis Cluster: two gateways and two of each worker
// (provisioning, billing, delivery, calling) from dist/, every request of the @zernio/node SDK
// going to the gateways in turn. Three accounts buy numbers to active, one buys a second and
// releases its first; a fourth buys a DE number through KYC review; calls are placed; every
// account's webhook endpoint hears each of its events. Every end state is right and each
// provider effect happened exactly once, whichever replica took each job.
import Zernio from '@zernio/node';
import { CALL_EVENT_TYPES, NUMBER_EVENT_TYPES } from '@numbers/contracts';
import type { Database } from '@numbers/persistence';
import { countOf, createTestAccountWithKey, eventually, startCustomerWebhookReceiver, startRedisCluster, type CustomerWebhookReceiver, type RedisClusterProcess, type TestAccountWithKey } from '@numbers/test-support';
import { enableCalling, grantCallPermission, type InitiatedCall } from './support/calling';
import { reviewGroup, submitKycAndPay } from './support/kyc-purchase';
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
  telnyx: {
    orders: { customerReference: string | null; status: string; phoneNumbers: { requirementGroupId: string | null }[] }[];
    numbers: { id: string; status: string }[];
    requirementGroups: { id: string; customerReference: string | null; status: string; submissions: number }[];
  };
  meta: { numbers: { id: string; phoneNumber: string; registered: boolean }[] };
  requests: { telnyx: RequestEntry[]; meta: RequestEntry[] };
}

const dataOf = <T>(result: { data?: unknown }): T => result.data as T;

let cluster: RedisClusterProcess;
let system: System;
let db: Database;
let receiver: CustomerWebhookReceiver;
let turn = 0;
/** Acme, and its number still active at the end of the first test. */
let acme: { account: TestAccountWithKey; numberId: string };
/** Every account of the run, each with a webhook endpoint of its own (`/<accountId>`) taking every number and call event. */
const accounts: TestAccountWithKey[] = [];

/** The account's SDK client on the next gateway in turn: consecutive requests alternate between the replicas. */
function via(account: TestAccountWithKey): Zernio {
  const baseURL = system.baseUrls[turn++ % system.baseUrls.length];
  return new Zernio({ apiKey: account.apiKey, baseURL });
}

/** The account's SDK client for helpers that take one: each of its requests goes to the next gateway in turn. */
function alternating(account: TestAccountWithKey): Zernio {
  return new Proxy({} as Zernio, { get: (_client, group) => via(account)[group as keyof Zernio] });
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

/** A new account with its webhook endpoint registered (through a gateway in turn). */
async function newAccount(name: string): Promise<TestAccountWithKey> {
  const account = await createTestAccountWithKey(db, { name, planCode: 'growth' });
  await via(account).webhooks.createWebhookSettings({ body: { name: 'all', url: `${receiver.url}/${account.accountId}`, events: [...NUMBER_EVENT_TYPES, ...CALL_EVENT_TYPES] } });
  accounts.push(account);
  return account;
}

beforeAll(async () => {
  receiver = await startCustomerWebhookReceiver();
  cluster = await startRedisCluster();
  // Ten processes start at once: give each longer to be ready than one alone needs.
  system = await startSystem({}, { redisCluster: cluster, replicas: 2, deliveries: true, calls: true, readyTimeoutMs: 120_000 });
  db = system.db;
}, 600_000);

afterAll(async () => {
  await system?.stop();
  await cluster?.stop();
  await receiver?.stop();
});

it('two of each process on the cluster: three accounts to active, a second number, a release; each provider effect once', async () => {
  expect(system.baseUrls).toHaveLength(2);
  expect(system.processes).toHaveLength(10);
  const buyers = await Promise.all(['Acme', 'Globex', 'Initech'].map(newAccount));
  const firsts = await Promise.all(buyers.map(buyFirst));
  await Promise.all(firsts.map((id) => inStatus(id, 'active')));

  // A second number for Acme, inline now that it has a subscription, through the other gateway.
  const [acmeAccount] = buyers;
  const second = dataOf<{ phoneNumber?: { id: string; status: string } }>(
    await via(acmeAccount).whatsappphonenumbers.purchaseWhatsAppPhoneNumber({ body: { profileId: acmeAccount.profileId, allowMultiple: true } }),
  );
  expect(second.phoneNumber).toMatchObject({ status: 'provisioning' });
  const secondId = second.phoneNumber?.id ?? '';
  const secondActive = await inStatus(secondId, 'active');
  acme = { account: acmeAccount, numberId: secondId };

  // Acme releases its first number.
  const released = await via(acmeAccount).whatsappphonenumbers.releaseWhatsAppPhoneNumber({ path: { phoneNumberId: firsts[0] } });
  expect(released.response.status).toBe(200);
  const gone = await inStatus(firsts[0], 'released');

  // Stripe: one subscription per account, its quantity the account's billable numbers.
  for (const account of buyers) {
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

it('a DE number through KYC review on the replicas: approved, ordered with its group once, active, charged once', async () => {
  const umbrella = await newAccount('Umbrella');
  const { numberId, groupId } = await submitKycAndPay(system, umbrella, alternating(umbrella));
  await reviewGroup(system.sim, groupId, { verdict: 'approve' });
  const active = await inStatus(numberId, 'active');
  expect(active).toMatchObject({ country: 'DE', phoneNumber: expect.stringMatching(/^\+49/), metaVerificationStatus: 'VERIFIED', requirementGroupId: groupId });
  await eventually(`${numberId} charged`, async () => (await countOf(db.selectFrom('ledgerEntries').where('numberId', '=', numberId).where('kind', '=', 'charge'))) === 1);

  const state = await simState();
  expect(state.telnyx.requirementGroups.filter((g) => g.customerReference === numberId).map((g) => [g.id, g.status, g.submissions])).toEqual([[groupId, 'approved', 1]]);
  const orders = state.telnyx.orders.filter((o) => o.customerReference === numberId);
  expect(orders.map((o) => [o.status, o.phoneNumbers.map((l) => l.requirementGroupId)])).toEqual([['success', [groupId]]]);
  const registrations = state.requests.meta.filter((r) => r.route?.endsWith('/register') && r.path.includes(`/${active.metaPhoneNumberId}/`) && r.status < 300 && !r.replayed);
  expect(registrations).toHaveLength(1);
  const { subscriptions } = await subscriptionOf(umbrella.accountId);
  expect(subscriptions).toEqual([expect.objectContaining({ status: 'active', quantity: 1 })]);
});

it('calls on the replicas: calling enabled, the consumer allows, two calls placed and ended, each dialled once at the carrier', async () => {
  const z = alternating(acme.account);
  const number = await numberOf(acme.numberId);
  const consumer = '+447700900555';
  await enableCalling(z, number.id, 'tel:+14155550199');
  await grantCallPermission(system.sim, z, { id: number.id, phoneNumber: number.phoneNumber ?? '' }, consumer);

  const callIds: string[] = [];
  for (const key of ['scale-out-call-1', 'scale-out-call-2']) {
    await system.sim.post('/_sim/telnyx/calls/next', { outcome: 'answered', ringMs: 100, talkMs: 1000 });
    const placed = dataOf<InitiatedCall>(await z.whatsappcalling.initiateWhatsAppCall({ body: { accountId: number.id, to: consumer }, headers: { 'Idempotency-Key': key } }));
    // The same request again, through the other gateway: the same call.
    expect(dataOf<InitiatedCall>(await z.whatsappcalling.initiateWhatsAppCall({ body: { accountId: number.id, to: consumer }, headers: { 'Idempotency-Key': key } }))).toEqual(placed);
    callIds.push(placed.callId ?? '');
  }
  for (const callId of callIds) {
    await eventually(`call ${callId} ended`, async () => {
      const call = await db.selectFrom('calls').selectAll().where('id', '=', callId).executeTakeFirst();
      return call?.status === 'ended' && call.durationSeconds !== null;
    });
  }
  expect(await countOf(db.selectFrom('calls').where('numberId', '=', number.id))).toBe(2);
  const { messages } = await system.sim.get<{ messages: { to: string }[] }>('/_sim/meta/calling');
  expect(messages.filter((m) => m.to === consumer.slice(1))).toHaveLength(1);
  const { calls } = await system.sim.get<{ calls: { commandId: string | null; state: string }[] }>('/_sim/telnyx/calls');
  for (const callId of callIds) expect(calls.filter((c) => c.commandId === callId).map((c) => c.state)).toEqual(['hangup']);
  const ended = await eventually('both calls announced', async () => {
    const found = receiver.deliveries(`/${acme.account.accountId}`).filter((d) => d.body.event === 'call.ended');
    return found.length >= 2 ? found : null;
  });
  expect(ended.map((d) => (d.body as { call?: { id?: string } }).call?.id).sort()).toEqual([...callIds].sort());
});

it("customer webhooks on the replicas: each account's endpoint hears each of its events once", async () => {
  const born = await db.selectFrom('customerEvents').select(['id', 'accountId', 'type']).execute();
  const count = (type: string) => born.filter((e) => e.type === type).length;
  // Five numbers activated (one of them DE, after its KYC submission), one released, one permission, two calls.
  expect([count('whatsapp.number.activated'), count('whatsapp.number.kyc_submitted'), count('whatsapp.number.released'), count('call.permission_request'), count('call.ended')]).toEqual([5, 1, 1, 1, 2]);
  expect(born).toHaveLength(10);
  for (const account of accounts) {
    const events = born.filter((e) => e.accountId === account.accountId).map((e) => e.id);
    expect(events.length).toBeGreaterThan(0);
    const heard = await eventually(`${account.accountId}: every event delivered`, async () => {
      const deliveries = receiver.deliveries(`/${account.accountId}`);
      return deliveries.length >= events.length ? deliveries : null;
    });
    expect(heard.map((d) => d.body.id).sort()).toEqual([...events].sort());
    expect(heard.every((d) => d.status === 200)).toBe(true);
  }
  // One attempt each, whichever delivery worker took it.
  const attempts = await eventually('every attempt logged', async () => {
    const logged = await db.selectFrom('webhookDeliveryLogs').select(['eventId', 'attemptNumber', 'status']).execute();
    return logged.length >= born.length ? logged : null;
  });
  expect(attempts.map((a) => [a.eventId, a.attemptNumber, a.status]).sort()).toEqual(born.map((e) => [e.id, 1, 'success']).sort());
});
