import { AppConfig } from '@numbers/config';
import { newId } from '@numbers/domain';
import { Database, RecordPruningRepository } from '@numbers/persistence';
import { createTestAccount, createTestDatabase, testEnv, testRedisPrefix, type TestDatabase } from '@numbers/test-support';
import { sql } from 'kysely';
import { PruneRecordsHandler } from './prune-records.handler';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

let db: TestDatabase;
let database: Database;
let handler: PruneRecordsHandler;

beforeAll(async () => {
  db = await createTestDatabase();
  const config = AppConfig.fromEnv(
    testEnv({
      DATABASE_URL: db.url,
      REDIS_PREFIX: testRedisPrefix(),
      OUTBOX_RETENTION_MS: String(2 * DAY),
      WEBHOOK_EVENT_RETENTION_MS: String(10 * DAY),
      IDEMPOTENCY_RETENTION_MS: String(2 * DAY),
      IDEMPOTENCY_IN_FLIGHT_TIMEOUT_MS: String(60_000),
      // Several batches per table: the loop must go on until a batch comes back short.
      PRUNE_BATCH_SIZE: '2',
    }),
  );
  database = new Database(config);
  handler = new PruneRecordsHandler(new RecordPruningRepository(database), config);
});

afterAll(async () => {
  await database?.destroy();
  await db?.drop();
});

const ago = (ms: number) => new Date(Date.now() - ms);

describe('prune-records', () => {
  it('deletes, batch by batch, what is past its retention and keeps everything still of use', async () => {
    const outbox = (name: string, values: { publishedAt?: Date | null; finishedAt?: Date | null; createdAt?: Date }) =>
      database.insertInto('outbox').values({ kind: 'job', name, payload: '{}', ...values }).execute();
    // Gone: finished more than 2 days ago (five of them: three batches of two).
    for (let i = 0; i < 5; i += 1) await outbox('old-finished', { createdAt: ago(5 * DAY), publishedAt: ago(5 * DAY), finishedAt: ago(3 * DAY) });
    // Kept: finished recently; published long ago but unfinished (under way, or lost with Redis); never published.
    await outbox('recent', { createdAt: ago(3 * DAY), publishedAt: ago(3 * DAY), finishedAt: ago(DAY) });
    await outbox('in-flight', { createdAt: ago(5 * DAY), publishedAt: ago(5 * DAY) });
    await outbox('unpublished', { createdAt: ago(5 * DAY) });

    const event = (eventId: string, values: { processedAt: Date | null; outcome: string | null }) =>
      database
        .insertInto('webhookEvents')
        .values({ id: newId(), provider: 'stripe', eventId, eventType: 'invoice.paid', rawBody: '{}', receivedAt: ago(20 * DAY), ...values })
        .execute();
    for (let i = 0; i < 3; i += 1) await event(`old-applied-${i}`, { processedAt: ago(11 * DAY), outcome: 'applied' });
    await event('old-ignored', { processedAt: ago(11 * DAY), outcome: 'ignored' });
    await event('old-failed', { processedAt: ago(11 * DAY), outcome: 'failed' });
    await event('recent', { processedAt: ago(9 * DAY), outcome: 'applied' });
    await event('unprocessed', { processedAt: null, outcome: null });

    const { accountId } = await createTestAccount(database);
    const claim = (key: string, values: { state: 'in_flight' | 'completed'; createdAt: Date; completedAt?: Date }) =>
      database
        .insertInto('idempotencyRecords')
        .values({ accountId, scope: 'POST /v1/x', key, requestHash: '0'.repeat(64), ...values })
        .execute();
    for (let i = 0; i < 3; i += 1) await claim(`old-${i}`, { state: 'completed', createdAt: ago(4 * DAY), completedAt: ago(3 * DAY) });
    await claim('dead-claim', { state: 'in_flight', createdAt: ago(3 * DAY) });
    // Kept: replayable still (completed a day ago), and a claim that is recent.
    await claim('replayable', { state: 'completed', createdAt: ago(3 * DAY), completedAt: ago(DAY) });
    await claim('running', { state: 'in_flight', createdAt: ago(HOUR) });

    await expect(handler.handle()).resolves.toEqual({ outbox: 5, webhookEvents: 4, idempotencyRecords: 4 });

    const names = async (query: Promise<Array<Record<string, string>>>, column: string) => (await query).map((r) => r[column]).sort();
    await expect(names(database.selectFrom('outbox').select('name').execute(), 'name')).resolves.toEqual(['in-flight', 'recent', 'unpublished']);
    await expect(names(database.selectFrom('webhookEvents').select('eventId').execute(), 'eventId')).resolves.toEqual(['old-failed', 'recent', 'unprocessed']);
    await expect(names(database.selectFrom('idempotencyRecords').select('key').execute(), 'key')).resolves.toEqual(['replayable', 'running']);

    // Nothing left to prune: a second run deletes nothing.
    await expect(handler.handle()).resolves.toEqual({ outbox: 0, webhookEvents: 0, idempotencyRecords: 0 });
  });

  it('finds each batch through an index, not by reading the table', async () => {
    // Tables this small would be read whole anyway: forbid that, so the plan shows whether an index serves.
    await database.transaction().execute(async (tx) => {
      await sql`SET LOCAL enable_seqscan = off`.execute(tx);
      const explain = async (query: string) => (await sql.raw<{ 'QUERY PLAN': string }>(`EXPLAIN ${query}`).execute(tx)).rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(await explain(`SELECT id FROM webhook_events WHERE processed_at < now() LIMIT 2`)).toMatch(/webhook_events_processed_at_idx/);
      expect(await explain(`SELECT 1 FROM idempotency_records WHERE created_at < now() LIMIT 2`)).toMatch(/idempotency_records_created_at_idx/);
      expect(await explain(`SELECT id FROM outbox WHERE finished_at < now() AND published_at IS NOT NULL LIMIT 2`)).toMatch(/outbox_finished_at_published_at_idx/);
    });
  });
});
