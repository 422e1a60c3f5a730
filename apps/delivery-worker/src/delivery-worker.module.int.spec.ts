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

/** Integration: the whole delivery worker in process: outbox → relay → deliveries queue → endpoint. */
describe('the delivery worker', () => {
  let database: TestDatabase;
  let prefix: string;
  let app: TestingModule;
  let receiver: CustomerWebhookReceiver;
  let db: Database;

  beforeAll(async () => {
    database = await createTestDatabase();
    prefix = testRedisPrefix();
    receiver = await startCustomerWebhookReceiver();
    // One retry 600 ms after the first attempt, then the schedule is spent.
    const config = AppConfig.fromEnv(
      testEnv({ DATABASE_URL: database.url, REDIS_PREFIX: prefix, LOG_LEVEL: 'warn', OUTBOX_POLL_MS: '20', WEBHOOK_RETRY_FIRST_DELAY_MS: '600', WEBHOOK_RETRY_WINDOW_MS: '1000' }),
    );
    app = await Test.createTestingModule({ imports: [DeliveryWorkerModule] }).overrideProvider(AppConfig).useValue(config).compile();
    await app.init();
    db = app.get(Database);
  });

  afterAll(async () => {
    await app?.close();
    await receiver?.stop();
    await flushRedisPrefix(testRedisUrl(), prefix);
    await database?.drop();
  });

  /** An endpoint, and an event for it queued in a transaction that runs `alsoInTx` before it commits. */
  async function endpointAndEvent(path: string, alsoInTx: (tx: Tx, webhookId: string) => Promise<unknown> = async () => undefined): Promise<{ webhookId: string; eventId: string }> {
    const { accountId, profileId } = await createTestAccount(db);
    const webhookId = newId();
    await app.get(WebhookEndpointRepository).create({
      id: webhookId,
      accountId,
      name: path,
      url: `${receiver.url}${path}`,
      secretSealed: app.get(WebhookSecretSealer).seal('s3cret-s3cret-s3cret', webhookId),
      events: ['whatsapp.number.released'],
      isActive: true,
      customHeaders: {},
    });
    const eventId = newId();
    await db.transaction().execute(async (tx) => {
      await app.get(CustomerEventRepository).record(
        accountId,
        {
          id: eventId,
          event: 'whatsapp.number.released',
          phoneNumber: { id: newId(), phoneNumber: '+14155550100', status: 'released', country: 'US', profileId },
          account: { id: accountId, accountId, profileId },
          timestamp: new Date().toISOString(),
        },
        tx,
      );
      await alsoInTx(tx, webhookId);
    });
    return { webhookId, eventId };
  }

  it('boots with a worker on the deliveries queue and its log pruning scheduled', async () => {
    expect(app.get(WorkerRunner).running.map((w) => w.name)).toEqual(['deliveries']);
    const schedulers = await app.get(QueueRegistry).get('deliveries').getJobSchedulers();
    expect(schedulers.map((s) => s.key)).toEqual(['prune-webhook-logs']);
  });

  it('gives up on an endpoint that fails every attempt of the schedule: the job completes, the endpoint counts one terminal failure', async () => {
    receiver.answer = (delivery) => (delivery.path === '/down' ? 503 : 200);
    const { webhookId, eventId } = await endpointAndEvent('/down');

    const endpoint = await eventually('terminal failure counted', async () => {
      const row = await app.get(WebhookEndpointRepository).find(webhookId);
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

  it('sends nothing to an endpoint deleted before its delivery ran', async () => {
    // Deleted after the delivery was queued, before anything could publish it.
    const { webhookId } = await endpointAndEvent('/gone', (tx, id) => tx.deleteFrom('webhookEndpoints').where('id', '=', id).execute());
    const job = await eventually('delivery job completed', async () => {
      const jobs = await app.get(QueueRegistry).get('deliveries').getJobs(['completed']);
      return jobs.find((j) => j.data.webhookId === webhookId) ?? null;
    });
    expect(job.returnvalue).toEqual({ delivered: false, skipped: 'webhook deleted' });
    expect(receiver.deliveries('/gone')).toEqual([]);
  });
});
