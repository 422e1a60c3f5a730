// Work that fails for good, or that Redis loses, still gets done. The built simulator, gateway,
// provisioning worker and billing worker run as processes; retries, re-drive delays and the lost-job
// threshold are shortened through configuration (PROVIDER_CALL_ATTEMPTS, REDRIVE_DELAYS_MS,
// LOST_JOB_AFTER_MS): the mechanism is production's, only the clock is faster.
import Zernio from '@zernio/node';
import { scheduledJobsOfQueue } from '@numbers/contracts';
import { Database } from '@numbers/persistence';
import { countOf, createTestAccountWithKey, eventually, flushRedisPrefix, type SimulatorProcess, type StartedProcess } from '@numbers/test-support';
import { startSystem, type System } from './support/system';
import { Queue } from 'bullmq';

type WorkerName = 'provisioning-worker' | 'billing-worker';

let system: System;
let db: Database;
let sim: SimulatorProcess;
let env: Record<string, string>;
const workers = {} as Record<WorkerName, StartedProcess>;
let baseUrl: string;

const numberOf = (id: string) => db.selectFrom('phoneNumbers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const billingOf = (accountId: string) => db.selectFrom('billingAccounts').selectAll().where('accountId', '=', accountId).executeTakeFirstOrThrow();
const charges = (numberId: string) => countOf(db.selectFrom('ledgerEntries').where('numberId', '=', numberId).where('kind', '=', 'charge'));
const failuresOf = (name: string) => db.selectFrom('failedJobs').selectAll().where('name', '=', name).execute();

const startWorker = (name: WorkerName): Promise<StartedProcess> => system.startWorker(name);

/** A first number bought and paid through Checkout; returns its id once `status` is reached. */
async function buyNumber(name: string, until: 'verifying' | 'pending_payment'): Promise<{ numberId: string; accountId: string; pay: () => Promise<void> }> {
  const account = await createTestAccountWithKey(db, { name, planCode: 'growth' });
  const z = new Zernio({ apiKey: account.apiKey, baseURL: baseUrl });
  await z.whatsappphonenumbers.purchaseWhatsAppPhoneNumber({ body: { profileId: account.profileId } });
  const pending = await db.selectFrom('phoneNumbers').selectAll().where('accountId', '=', account.accountId).limit(1).executeTakeFirstOrThrow();
  const pay = async () => {
    await sim.post(`/_sim/stripe/checkout/${pending.stripeCheckoutSessionId}/pay`, {});
  };
  if (until === 'verifying') {
    await pay();
    await eventually('number verifying', async () => (await numberOf(pending.id)).status === 'verifying');
  }
  return { numberId: pending.id, accountId: account.accountId, pay };
}

beforeAll(async () => {
  system = await startSystem({ PROVIDER_CALL_ATTEMPTS: '2', REDRIVE_DELAYS_MS: '3000,3000', SCHEDULE_REDRIVE_FAILED_JOBS_MS: '500', SCHEDULE_RECOVER_LOST_JOBS_MS: '500', LOST_JOB_AFTER_MS: '2000', SCHEDULER_CHECK_MS: '500' });
  ({ db, sim, env, baseUrl } = system);
  [workers['provisioning-worker'], workers['billing-worker']] = [system.provisioning, system.billing];
}, 300_000);

afterAll(async () => {
  await system?.stop();
});

afterEach(async () => {
  await sim?.delete('/_sim/faults');
});

describe('failed and lost work', () => {
  it('start-billing failing for good while Stripe answers 500 is recorded, then re-driven once Stripe answers: the number is not left active and free', async () => {
    const { numberId, accountId } = await buyNumber('Stripe down at start-billing', 'verifying');
    const { stripeSubscriptionId } = await billingOf(accountId);
    // Ending the trial (start-billing) fails for longer than the job's attempts.
    await sim.post('/_sim/faults', { provider: 'stripe', method: 'POST', path: `/v1/subscriptions/${stripeSubscriptionId}`, action: 'fail', status: 500, times: 10_000 });

    const [failure] = await eventually('start-billing recorded as failed', async () => {
      const found = await failuresOf('start-billing');
      return found.length > 0 && found;
    });
    expect(failure).toMatchObject({ reason: 'exhausted', status: 'waiting', attempts: 2, payload: { numberId } });
    expect(failure.lastError).toMatch(/500|stripe/i);
    expect((await numberOf(numberId)).status).toBe('active');
    expect(await charges(numberId)).toBe(0);

    await sim.delete('/_sim/faults');
    await eventually('the re-drive resolved', async () => (await failuresOf('start-billing'))[0]?.status === 'resolved', 30_000);
    await eventually('billing started', async () => (await charges(numberId)) === 1);
    expect((await failuresOf('start-billing'))[0]).toMatchObject({ id: failure.id, redrives: 1 });
  });

  it('a purchase whose job Redis lost (restarted empty) still reaches active, and the schedulers exist again', async () => {
    // The provisioning worker is away: the paid number's order-number job waits in Redis, then Redis loses it.
    await workers['provisioning-worker'].stop();
    const { numberId, pay } = await buyNumber('Redis lost the order', 'pending_payment');
    await pay();
    await eventually('number provisioning', async () => (await numberOf(numberId)).status === 'provisioning');
    await eventually('the order job published', async () =>
      (await countOf(db.selectFrom('outbox').where('name', '=', 'order-number').where('payload', '=', JSON.stringify({ numberId })).where('publishedAt', 'is not', null))) === 1,
    );
    expect(await flushRedisPrefix(env['REDIS_URL'], env['REDIS_PREFIX'])).toBeGreaterThan(0);

    workers['provisioning-worker'] = await startWorker('provisioning-worker');
    await eventually('number active', async () => (await numberOf(numberId)).status === 'active', 60_000);
    await eventually('billing started', async () => (await charges(numberId)) === 1);

    // The billing worker never restarted: it re-created its own schedulers.
    const queue = new Queue('billing', { connection: { url: env['REDIS_URL'] }, prefix: env['REDIS_PREFIX'] });
    try {
      await eventually('the billing schedulers back', async () => {
        const found = await Promise.all(scheduledJobsOfQueue('billing').map((id) => queue.getJobScheduler(id)));
        return found.every(Boolean);
      });
    } finally {
      await queue.close();
    }
  });
});
