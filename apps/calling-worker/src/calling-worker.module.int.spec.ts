import type { INestMicroservice } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppConfig } from '@numbers/config';
import type { EventPayloads } from '@numbers/contracts';
import { eventTransportOptions, WorkerRunner } from '@numbers/messaging';
import { Database } from '@numbers/persistence';
import { createTestDatabase, flushRedisPrefix, testEnv, testRedisPrefix, testRedisUrl, type TestDatabase } from '@numbers/test-support';
import { CallingWorkerModule } from './calling-worker.module';
import { NumberEventsController } from './events/number-events.controller';

jest.setTimeout(60_000);

/** Integration: the whole calling worker, in process, on a database and Redis prefix of this file. */
describe('the calling worker', () => {
  let database: TestDatabase;
  let prefix: string;
  let app: INestMicroservice;
  const seen: EventPayloads['number.status_changed'][] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    prefix = testRedisPrefix();
    const config = AppConfig.fromEnv(testEnv({ DATABASE_URL: database.url, REDIS_PREFIX: prefix, LOG_LEVEL: 'warn', OUTBOX_POLL_MS: '20' }));
    const moduleRef = await Test.createTestingModule({ imports: [CallingWorkerModule] })
      .overrideProvider(AppConfig)
      .useValue(config)
      .compile();
    const controller = moduleRef.get(NumberEventsController);
    const original = controller.onStatusChanged.bind(controller);
    jest.spyOn(controller, 'onStatusChanged').mockImplementation((event) => {
      seen.push(event);
      original(event);
    });
    app = moduleRef.createNestMicroservice(eventTransportOptions(config));
    await app.listen();
  });

  afterAll(async () => {
    await app?.close();
    await flushRedisPrefix(testRedisUrl(), prefix);
    await database?.drop();
  });

  it('boots with its calling queue (no jobs yet) and runs its worker', () => {
    expect(app.get(WorkerRunner).running.map((w) => w.name)).toEqual(['calling']);
  });

  it('hears number.status_changed that a relay publishes from the outbox', async () => {
    const numberId = `n-${prefix}`;
    const payload: EventPayloads['number.status_changed'] = {
      numberId,
      accountId: 'a1',
      from: 'releasing',
      to: 'released',
      event: 'release_completed',
      at: new Date().toISOString(),
    };
    await app.get(Database).insertInto('outbox').values({ kind: 'event', name: 'number.status_changed', payload: JSON.stringify(payload) }).execute();
    for (const started = Date.now(); Date.now() - started < 20_000 && !seen.some((e) => e.numberId === numberId); ) {
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(seen.filter((e) => e.numberId === numberId)).toEqual([payload]);
  });
});
