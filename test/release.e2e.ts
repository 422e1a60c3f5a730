// Releasing a number, end to end: the built provider simulator, provisioning worker and billing
// worker as real processes on a database and Redis prefix of their own. The test writes the
// request the way the gateway does (NumberLifecycle in one transaction, outbox rows with it);
// the workers' relays, queues and handlers do the rest.
import { Test, type TestingModule } from '@nestjs/testing';
import { AppConfig, ConfigModule } from '@numbers/config';
import { newId } from '@numbers/domain';
import { Database, NumberLifecycle, PersistenceModule } from '@numbers/persistence';
import { createStripeClient, StripeSdkGateway } from '@numbers/providers';
import { countOf, createTestAccount, eventually, type StartedProcess } from '@numbers/test-support';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { startSimulatorSystem, type SimulatorSystem } from './support/system';

interface RequestEntry {
  method: string;
  path: string;
  status: number;
  replayed: boolean;
  idempotencyKey: string | null;
}
interface SimState {
  stripe: { subscriptions: { id: string; quantity: number }[] };
  telnyx: { numbers: { id: string; status: string }[] };
  meta: { numbers: { id: string; registered: boolean }[] };
  requests: { telnyx: RequestEntry[]; meta: RequestEntry[] };
  faults: unknown[];
}

let system: SimulatorSystem;
let env: Record<string, string>;
let persistence: TestingModule;
let db: Database;
let lifecycle: NumberLifecycle;
let provisioning: StartedProcess;
let billing: StartedProcess;
let accountId: string;
let profileId: string;
let subscriptionId: string;
let seq = 0;

/** An active number that the carrier and Meta hold, counted in the subscription. */
async function activeNumber(): Promise<{ id: string; telnyxId: string; metaId: string }> {
  seq++;
  const telnyxId = `41000000000000${String(seq).padStart(5, '0')}`;
  const metaId = `6100000000${String(seq).padStart(5, '0')}`;
  const phone = `+1555020${String(seq).padStart(4, '0')}`;
  await system.sim.post('/_sim/telnyx/numbers', { id: telnyxId, phoneNumber: phone });
  await system.sim.post('/_sim/meta/numbers', { id: metaId, displayPhoneNumber: phone, registered: true });
  const id = newId();
  await db
    .insertInto('phoneNumbers')
    .values({ id, accountId, profileId, phoneNumber: phone, country: 'US', status: 'active', monthlyCents: 300, telnyxNumberId: telnyxId, metaPhoneNumberId: metaId })
    .execute();
  return { id, telnyxId, metaId };
}

async function numberStatus(id: string): Promise<string> {
  return (await db.selectFrom('phoneNumbers').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
}

/** As the gateway asks for a release: the lifecycle's one statement, in a transaction. */
async function requestRelease(numberId: string, cause: string): Promise<void> {
  await db.transaction().execute((tx) => lifecycle.apply(numberId, 'release_requested', { cause, actor: 'customer' }, tx));
}

async function stripeQuantity(): Promise<number | undefined> {
  const state = await system.sim.get<SimState>('/_sim/state');
  return state.stripe.subscriptions.find((s) => s.id === subscriptionId)?.quantity;
}

beforeAll(async () => {
  // A killed worker's job is found stalled and runs again within a few seconds.
  system = await startSimulatorSystem({ OUTBOX_POLL_MS: '50', WORKER_LOCK_MS: '1500' });
  const { config } = system;
  env = system.env;
  // Persistence as the apps wire it: the lifecycle comes with whatever it is built on.
  persistence = await Test.createTestingModule({ imports: [ConfigModule, PersistenceModule] }).overrideProvider(AppConfig).useValue(config).compile();
  await persistence.init();
  db = persistence.get(Database);
  lifecycle = persistence.get(NumberLifecycle);

  ({ accountId, profileId } = await createTestAccount(db));
  const stripe = new StripeSdkGateway(createStripeClient(config.stripe), config.stripe.priceId);
  const { customerId } = await stripe.createCustomer({ accountId, name: 'Acme' }, `e2e-cus-${accountId}`);
  const subscription = await stripe.createSubscription({ customerId, accountId, quantity: 3 }, `e2e-sub-${accountId}`);
  subscriptionId = subscription.id;
  await db
    .insertInto('billingAccounts')
    .values({
      accountId,
      stripeCustomerId: customerId,
      stripeSubscriptionId: subscription.id,
      stripeSubscriptionItemId: subscription.items[0].id,
      subscriptionStatus: subscription.status,
      quantity: 3,
    })
    .execute();

  [provisioning, billing] = await Promise.all([system.startWorker('provisioning-worker'), system.startWorker('billing-worker')]);
});

afterAll(async () => {
  await persistence?.close();
  await system?.stop();
});

describe('releasing a number', () => {
  it('reaches released: deregistered at Meta, deleted at the carrier, and Stripe quantity drops', async () => {
    const kept = await activeNumber();
    const number = await activeNumber();
    await activeNumber(); // a third, so the subscription's 3 is the account's count

    await requestRelease(number.id, 'e2e');

    await eventually('number released', async () => (await numberStatus(number.id)) === 'released');
    await eventually('Stripe quantity 2', async () => (await stripeQuantity()) === 2);
    const state = await system.sim.get<SimState>('/_sim/state');
    expect(state.telnyx.numbers.find((n) => n.id === number.telnyxId)?.status).toBe('deleted');
    expect(state.meta.numbers.find((n) => n.id === number.metaId)?.registered).toBe(false);
    expect(state.telnyx.numbers.find((n) => n.id === kept.telnyxId)?.status).not.toBe('deleted');
    await eventually('quantity stored', async () => (await db.selectFrom('billingAccounts').select('quantity').where('accountId', '=', accountId).executeTakeFirstOrThrow()).quantity === 2);
    await eventually('outbox drained', async () => (await countOf(db.selectFrom('outbox').where('publishedAt', 'is', null))) === 0);
  });

  it('survives the provisioning worker being killed mid-job: the job runs again and the number is deleted once', async () => {
    const number = await activeNumber();
    // The carrier's DELETE of this number hangs long enough to kill the worker inside it.
    await system.sim.post('/_sim/faults', { provider: 'telnyx', method: 'DELETE', path: `/v2/phone_numbers/${number.telnyxId}`, action: 'delay', delayMs: 6000 });

    await requestRelease(number.id, 'e2e kill');
    // Meta's deregister comes first; once it is logged the worker is on its way into the DELETE.
    await eventually('deregistered at Meta', async () => {
      const state = await system.sim.get<SimState>('/_sim/state');
      return state.meta.numbers.find((n) => n.id === number.metaId)?.registered === false;
    });
    const queue = new Queue('provisioning', { connection: new Redis(env['REDIS_URL'], { maxRetriesPerRequest: null }), prefix: env['REDIS_PREFIX'] });
    try {
      await eventually('release job active', async () => (await queue.getJobs(['active'])).some((j) => j.name === 'release-number' && j.data.numberId === number.id));
      await new Promise((r) => setTimeout(r, 500));
      provisioning.kill('SIGKILL');
      await provisioning.exited;
      expect(await numberStatus(number.id)).toBe('releasing');

      provisioning = await system.startWorker('provisioning-worker');
      await eventually('number released after the restart', async () => (await numberStatus(number.id)) === 'released');
      // The number is released inside the job; BullMQ marks the job completed a moment later.
      const job = await eventually('release job completed', async () => (await queue.getJobs(['completed'], 0, -1)).find((j) => j.data.numberId === number.id));
      expect(job.stalledCounter).toBe(1);
    } finally {
      await queue.close();
      await (queue.opts.connection as Redis).quit();
    }

    const state = await system.sim.get<SimState>('/_sim/state');
    // The delay was used up: the killed worker was inside the carrier call.
    expect(state.faults).toEqual([]);
    expect(state.telnyx.numbers.find((n) => n.id === number.telnyxId)?.status).toBe('deleted');
    const deletes = state.requests.telnyx.filter((r) => r.method === 'DELETE' && r.path.endsWith(number.telnyxId));
    expect(deletes.length).toBeGreaterThanOrEqual(1);
    // One deletion took effect; any other call found it gone or was an idempotent replay.
    expect(deletes.filter((r) => r.status < 300 && !r.replayed)).toHaveLength(1);
    expect(new Set(deletes.map((r) => r.idempotencyKey))).toEqual(new Set([`release-${number.id}`]));
    const completed = await countOf(db.selectFrom('numberStatusHistory').where('numberId', '=', number.id).where('event', '=', 'release_completed').where('applied', '=', true));
    expect(completed).toBe(1);
  });

  it('a worker stops on SIGTERM with exit code 0', async () => {
    const exit = await billing.stop();
    expect(exit).toEqual({ code: 0, signal: null });
  });
});
