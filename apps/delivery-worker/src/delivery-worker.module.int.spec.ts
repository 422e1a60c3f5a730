import { Test, type TestingModule } from '@nestjs/testing';
import { AppConfig } from '@numbers/config';
import { newId } from '@numbers/domain';
import { QueueRegistry, WorkerRunner } from '@numbers/messaging';
import { CustomerEventRepository, Database, WebhookEndpointRepository, WebhookSecretSealer, type Tx } from '@numbers/persistence';
import {
  createTestAccount,
  createTestDatabase,
  eventually,
  flushRedisPrefix,
  startCustomerWebhookReceiver,
  testEnv,
  testRedisPrefix,
  testRedisUrl,
  type CustomerWebhookReceiver,
  type TestDatabase,
} from '@numbers/test-support';
import { DeliveryWorkerModule } from './delivery-worker.module';

jest.setTimeout(60_000);

/** A webhook-secrets key a rotation retired: still configured (WEBHOOK_SECRETS_OLD_KEYS), so what it sealed opens. */
const RETIRED_SECRETS_KEY = Buffer.alloc(32, 78).toString('base64');

/** Integration: the whole delivery worker in process: outbox → relay → deliveries queue → endpoint. */
describe('the delivery worker', () => {
  let database: TestDatabase;
  let prefix: string;
  let app: TestingModule;
  let receiver: CustomerWebhookReceiver;
  let db: Database;
  // The test's own writes, as the gateway and the lifecycle make them (the worker only reads these tables).
  let endpoints: WebhookEndpointRepository;
  let events: CustomerEventRepository;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase();
    prefix = testRedisPrefix();
    receiver = await startCustomerWebhookReceiver();
    // One retry 600 ms after the first attempt, then the schedule is spent; four deliveries at
    // once, at most two to one endpoint.
    env = testEnv({
      DATABASE_URL: database.url,
      REDIS_PREFIX: prefix,
      LOG_LEVEL: 'warn',
      OUTBOX_POLL_MS: '20',
      WEBHOOK_RETRY_FIRST_DELAY_MS: '600',
      WEBHOOK_RETRY_WINDOW_MS: '1000',
      WEBHOOK_DELIVERY_CONCURRENCY: '4',
      WEBHOOK_ENDPOINT_MAX_IN_FLIGHT: '2',
      WEBHOOK_SECRETS_OLD_KEYS: RETIRED_SECRETS_KEY,
    });
    const config = AppConfig.fromEnv(env);
    app = await Test.createTestingModule({ imports: [DeliveryWorkerModule] }).overrideProvider(AppConfig).useValue(config).compile();
    await app.init();
    db = app.get(Database);
    endpoints = new WebhookEndpointRepository(db);
    events = new CustomerEventRepository(db);
  });

  afterAll(async () => {
    await app?.close();
    await receiver?.stop();
    await flushRedisPrefix(testRedisUrl(), prefix);
    await database?.drop();
  });

  /** An endpoint, and `count` events for it queued in a transaction that runs `alsoInTx` before it commits. */
  async function endpointAndEvents(
    path: string,
    alsoInTx: (tx: Tx, webhookId: string) => Promise<unknown> = async () => undefined,
    count = 1,
    sealer: WebhookSecretSealer = app.get(WebhookSecretSealer),
  ): Promise<{ webhookId: string; eventIds: string[]; more: (count: number) => Promise<string[]> }> {
    const { accountId, profileId } = await createTestAccount(db);
    const webhookId = newId();
    await endpoints.create({
      id: webhookId,
      accountId,
      name: path,
      url: `${receiver.url}${path}`,
      secretSealed: sealer.seal('s3cret-s3cret-s3cret', webhookId),
      events: ['whatsapp.number.released'],
      isActive: true,
      customHeaders: {},
    });
    const more = async (n: number, inTx: (tx: Tx) => Promise<unknown> = async () => undefined) => {
      const ids = Array.from({ length: n }, () => newId());
      await db.transaction().execute(async (tx) => {
        for (const id of ids) {
          await events.record(
            accountId,
            {
              id,
              event: 'whatsapp.number.released',
              phoneNumber: { id: newId(), phoneNumber: '+14155550100', status: 'released', country: 'US', profileId },
              account: { id: accountId, accountId, profileId },
              timestamp: new Date().toISOString(),
            },
            tx,
          );
        }
        await inTx(tx);
      });
      return ids;
    };
    const eventIds = await more(count, (tx) => alsoInTx(tx, webhookId));
    return { webhookId, eventIds, more: (n) => more(n) };
  }

  it('boots with a worker on the deliveries queue and its log pruning scheduled', async () => {
    expect(app.get(WorkerRunner).running.map((w) => w.name)).toEqual(['deliveries']);
    const schedulers = await app.get(QueueRegistry).get('deliveries').getJobSchedulers();
    expect(schedulers.map((s) => s.key)).toEqual(['prune-webhook-logs']);
  });

  it('gives up on an endpoint that fails every attempt of the schedule: the job completes, the endpoint counts one terminal failure', async () => {
    receiver.answer = (delivery) => (delivery.path === '/down' ? 503 : 200);
    const {
      webhookId,
      eventIds: [eventId],
    } = await endpointAndEvents('/down');

    const endpoint = await eventually('terminal failure counted', async () => {
      const row = await endpoints.find(webhookId);
      return row && row.failureCount === 1 ? row : null;
    });
    expect(endpoint).toMatchObject({ isActive: true, failingSince: expect.any(Date), lastFiredAt: null });
    expect(receiver.deliveries('/down').map((d) => [d.body.id, d.status])).toEqual([
      [eventId, 503],
      [eventId, 503],
    ]);
    const logs = await db.selectFrom('webhookDeliveryLogs').select(['attemptNumber', 'status', 'statusCode']).where('webhookId', '=', webhookId).orderBy('attemptNumber').execute();
    expect(logs).toEqual([
      { attemptNumber: 1, status: 'failed', statusCode: 503 },
      { attemptNumber: 2, status: 'failed', statusCode: 503 },
    ]);
    const [job] = (await app.get(QueueRegistry).get('deliveries').getJobs(['completed'])).filter((j) => j.data.webhookId === webhookId);
    expect(job.returnvalue).toEqual({ delivered: false, attempt: 2 });
  });

  it('signs with a secret sealed under a retired key, and seals it again under the current key', async () => {
    receiver.answer = () => 200;
    const retired = new WebhookSecretSealer(AppConfig.fromEnv({ ...env, WEBHOOK_SECRETS_KEY: RETIRED_SECRETS_KEY }));
    const { webhookId } = await endpointAndEvents('/rotated', undefined, 1, retired);
    await eventually('delivered', async () => (receiver.deliveries('/rotated').length > 0 ? true : null));
    const current = app.get(WebhookSecretSealer);
    const resealed = await eventually('re-sealed', async () => {
      const row = await endpoints.find(webhookId);
      return row && !current.isStale(row.secretSealed) ? row.secretSealed : null;
    });
    expect(current.open(resealed, webhookId)).toBe('s3cret-s3cret-s3cret');
    expect(() => retired.open(resealed, webhookId)).toThrow();
  });

  it('sends nothing to an endpoint deleted before its delivery ran', async () => {
    // Deleted after the delivery was queued, before anything could publish it.
    const { webhookId } = await endpointAndEvents('/gone', (tx, id) => tx.deleteFrom('webhookEndpoints').where('id', '=', id).execute());
    const job = await eventually('delivery job completed', async () => {
      const jobs = await app.get(QueueRegistry).get('deliveries').getJobs(['completed']);
      return jobs.find((j) => j.data.webhookId === webhookId) ?? null;
    });
    expect(job.returnvalue).toEqual({ delivered: false, skipped: 'webhook deleted' });
    expect(receiver.deliveries('/gone')).toEqual([]);
  });

  it('a slow endpoint holds at most its share of the slots: another customer is delivered meanwhile, and every slow delivery still lands', async () => {
    receiver.delayMs = (delivery) => (delivery.path === '/slow' ? 1500 : 0);
    // One slow answer marks the endpoint slow; then a burst to it.
    const slow = await endpointAndEvents('/slow');
    await eventually('the first slow attempt logged', async () => (await db.selectFrom('webhookDeliveryLogs').select('id').where('webhookId', '=', slow.webhookId).execute()).length === 1);
    const burst = await slow.more(6);
    await eventually('the slow endpoint busy', async () => receiver.deliveries('/slow').length >= 2);
    const fast = await endpointAndEvents('/fast');

    const [delivered] = await eventually('the other customer delivered', async () => (receiver.deliveries('/fast').length > 0 ? receiver.deliveries('/fast') : null));
    // Delivered while the slow endpoint still had deliveries waiting: it did not queue behind them.
    const slowDoneBefore = receiver.deliveries('/slow').filter((d) => d.at.getTime() + 1500 <= delivered.at.getTime()).length;
    expect(slowDoneBefore).toBeLessThan(7);
    expect(delivered.body.id).toBe(fast.eventIds[0]);

    await eventually('every slow delivery landed', async () => receiver.deliveries('/slow').length === 7, 30_000);
    expect(receiver.maxInFlight('/slow')).toBe(2);
    expect(new Set(receiver.deliveries('/slow').map((d) => d.body.id))).toEqual(new Set([...slow.eventIds, ...burst]));
    // Deferred, not failed: each slow event took one attempt.
    const attempts = await eventually('every slow attempt logged', async () => {
      const rows = await db.selectFrom('webhookDeliveryLogs').select('attemptNumber').where('webhookId', '=', slow.webhookId).execute();
      return rows.length === 7 ? rows : null;
    });
    expect(attempts.map((a) => a.attemptNumber)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    receiver.delayMs = () => 0;
  });

  it('a healthy endpoint is not limited: a burst to it uses every slot', async () => {
    receiver.delayMs = (delivery) => (delivery.path === '/quick' ? 300 : 0);
    await endpointAndEvents('/quick', undefined, 8);
    await eventually('the burst delivered', async () => receiver.deliveries('/quick').length === 8, 30_000);
    // Four deliveries at once (the worker's concurrency), not the slow limit of two.
    expect(receiver.maxInFlight('/quick')).toBe(4);
    receiver.delayMs = () => 0;
  });
});
