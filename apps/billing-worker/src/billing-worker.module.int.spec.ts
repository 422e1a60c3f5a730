import { Test, type TestingModule } from '@nestjs/testing';
import { AppConfig } from '@numbers/config';
import { QueueRegistry, WorkerRunner } from '@numbers/messaging';
import { Database } from '@numbers/persistence';
import { createTestDatabase, flushRedisPrefix, testEnv, testRedisPrefix, testRedisUrl, type TestDatabase } from '@numbers/test-support';
import { BillingWorkerModule } from './billing-worker.module';

jest.setTimeout(60_000);

/** Integration: the whole billing worker in process: outbox → relay → queue → handler. */
describe('the billing worker', () => {
  let database: TestDatabase;
  let prefix: string;
  let app: TestingModule;

  beforeAll(async () => {
    database = await createTestDatabase();
    prefix = testRedisPrefix();
    const config = AppConfig.fromEnv(testEnv({ DATABASE_URL: database.url, REDIS_PREFIX: prefix, LOG_LEVEL: 'warn', OUTBOX_POLL_MS: '20' }));
    app = await Test.createTestingModule({ imports: [BillingWorkerModule] }).overrideProvider(AppConfig).useValue(config).compile();
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await flushRedisPrefix(testRedisUrl(), prefix);
    await database?.drop();
  });

  it('boots with a worker on the billing queue', () => {
    expect(app.get(WorkerRunner).running.map((w) => w.name)).toEqual(['billing']);
  });

  it('runs a sync job from the outbox (an account without a subscription: nothing to do)', async () => {
    const row = await app
      .get(Database)
      .insertInto('outbox')
      .values({ kind: 'job', name: 'sync-subscription-quantity', payload: JSON.stringify({ accountId: 'no-such-account', cause: 'test' }) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const queue = app.get(QueueRegistry).get('billing');
    const jobId = `sync-subscription-quantity.${row.id}`;
    for (const started = Date.now(); Date.now() - started < 20_000; ) {
      if ((await queue.getJobState(jobId)) === 'completed') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const job = await queue.getJob(jobId);
    expect(await job?.getState()).toBe('completed');
    expect(job?.returnvalue).toEqual({ synced: false, reason: 'no_subscription', quantity: 0 });
  });
});
