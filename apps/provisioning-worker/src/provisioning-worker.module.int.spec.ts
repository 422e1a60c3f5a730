import { Test, type TestingModule } from '@nestjs/testing';
import { AppConfig } from '@numbers/config';
import { newId } from '@numbers/domain';
import { WorkerRunner } from '@numbers/messaging';
import { Database, NumberLifecycle } from '@numbers/persistence';
import { createTestDatabase, flushRedisPrefix, testRedisPrefix, testRedisUrl, type TestDatabase, startSimulatorProcess, type SimulatorProcess } from '@numbers/test-support';
import { ProvisioningWorkerModule } from './provisioning-worker.module';

jest.setTimeout(60_000);

/** Integration: the whole provisioning worker in process: outbox → relay → queue → handler. */
describe('the provisioning worker', () => {
  let database: TestDatabase;
  let sim: SimulatorProcess;
  let prefix: string;
  let app: TestingModule;

  beforeAll(async () => {
    database = await createTestDatabase();
    prefix = testRedisPrefix();
    sim = await startSimulatorProcess({ DATABASE_URL: database.url, REDIS_PREFIX: prefix, OUTBOX_POLL_MS: '20' });
    const config = AppConfig.fromEnv(sim.env);
    app = await Test.createTestingModule({ imports: [ProvisioningWorkerModule] }).overrideProvider(AppConfig).useValue(config).compile();
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await sim?.stop();
    await flushRedisPrefix(testRedisUrl(), prefix);
    await database?.drop();
  });

  it('boots with a worker on the provisioning queue', () => {
    expect(app.get(WorkerRunner).running.map((w) => w.name)).toEqual(['provisioning']);
  });

  it('releases a number whose release was requested', async () => {
    const db = app.get(Database);
    const [accountId, profileId, id] = [newId(), newId(), newId()];
    await db.insertInto('accounts').values({ id: accountId, name: 'Acme', planCode: 'growth' }).execute();
    await db.insertInto('profiles').values({ id: profileId, accountId, name: 'main' }).execute();
    await sim.post('/_sim/telnyx/numbers', { id: '4200000000000000001', phoneNumber: '+15550301234' });
    await db
      .insertInto('phoneNumbers')
      .values({ id, accountId, profileId, country: 'US', status: 'active', monthlyCents: 300, telnyxNumberId: '4200000000000000001' })
      .execute();
    await app.get(NumberLifecycle).apply(id, 'release_requested', { cause: 'test', actor: 'customer' });

    const status = async () => (await db.selectFrom('phoneNumbers').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
    for (const started = Date.now(); Date.now() - started < 20_000; ) {
      if ((await status()) === 'released') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await status()).toBe('released');
    const history = await db
      .selectFrom('numberStatusHistory')
      .selectAll()
      .where('numberId', '=', id)
      .where('event', '=', 'release_completed')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(history.cause).toMatch(/^job release-number\.\d+$/);
  });
});
