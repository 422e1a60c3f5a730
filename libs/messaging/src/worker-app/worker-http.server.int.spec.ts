import type { TestingModule } from '@nestjs/testing';
import type { JobPayloads } from '@numbers/contracts';
import { newId } from '@numbers/domain';
import { Database, NumberStatsRepository } from '@numbers/persistence';
import { createTestAccount } from '@numbers/test-support';
import { sql } from 'kysely';
import type { HandlesJob } from '../handlers/handles-job';
import { JobHandler } from '../handlers/job-handler.decorator';
import { MessagingModule } from '../messaging.module';
import { NumbersByStateMetrics } from '../metrics/worker-metrics.collectors';
import { QueueRegistry } from '../queues/queue-registry';
import { doNothingHandlersOf, messagingTestBed, startTestContext, type MessagingTestBed } from '../testing/messaging-test-app';
import { WorkerHttpServer } from './worker-http.server';

jest.setTimeout(60_000);

/** release-number jobs wait here until the test lets them go; the first run of `fail` throws (retried). */
let hold: Promise<void> = Promise.resolve();
let release = (): void => undefined;
let started = 0;
let failed = false;

@JobHandler('release-number')
class GatedReleaseHandler implements HandlesJob<'release-number'> {
  async handle({ numberId }: JobPayloads['release-number']): Promise<void> {
    started++;
    await hold;
    if (numberId === 'fail' && !failed) {
      failed = true;
      throw new Error('provider down');
    }
  }
}

/** Retries `assertion` until it passes (the last failure is thrown after `ms`). */
async function eventually(assertion: () => Promise<void> | void, ms = 20_000): Promise<void> {
  for (const start = Date.now(); ; ) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() - start > ms) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** The value of one sample of the Prometheus text (`name{labels}`), or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('a worker\'s metrics and health listener (WorkerHttpServer)', () => {
  let bed: MessagingTestBed;
  let app: TestingModule;
  let base: string;
  let db: Database;
  let closed = false;
  const get = (path: string) => fetch(`${base}${path}`);
  const scrape = async () => (await get('/metrics')).text();

  beforeAll(async () => {
    bed = await messagingTestBed({ METRICS_NUMBERS_REFRESH_MS: '1500', READY_MAX_OUTBOX_LAG_MS: '60000' });
    app = await startTestContext(
      bed.config,
      [MessagingModule.forWorker('provisioning-worker')],
      [GatedReleaseHandler, ...doNothingHandlersOf('provisioning', ['release-number']), NumberStatsRepository, NumbersByStateMetrics],
    );
    expect(bed.config.metrics.port).toBe(0);
    base = `http://127.0.0.1:${await app.get(WorkerHttpServer).listen()}`;
    db = app.get(Database);
  });

  afterAll(async () => {
    release();
    if (!closed) await app?.close();
    await bed?.cleanup();
  });

  it('is live, and ready once its queue workers run and PostgreSQL, Redis and the outbox answer', async () => {
    expect(await (await get('/health/live')).json()).toEqual({ status: 'ok' });
    const ready = await get('/health/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      info: { worker: { status: 'up' }, database: { status: 'up' }, redis: { status: 'up' }, queues: { status: 'up', queues: ['provisioning'] }, outbox: { status: 'up' } },
    });
    expect((await get('/nowhere')).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('serves Node\'s process metrics and times each job by queue, name and outcome', async () => {
    const completed = 'numbers_job_duration_seconds_count{queue="provisioning",job="release-number",outcome="completed"}';
    const retried = 'numbers_job_duration_seconds_count{queue="provisioning",job="release-number",outcome="retry"}';
    const before = await scrape();
    expect(before).toContain('process_cpu_user_seconds_total');
    expect(before).toContain('nodejs_eventloop_lag_seconds');
    await db.insertInto('outbox').values([
      { kind: 'job', name: 'release-number', payload: { numberId: 'n1' } },
      { kind: 'job', name: 'release-number', payload: { numberId: 'fail' } },
    ]).execute();
    await eventually(async () => {
      const text = await scrape();
      expect(sample(text, completed)).toBe((sample(before, completed) ?? 0) + 1);
      expect(sample(text, retried)).toBe((sample(before, retried) ?? 0) + 1);
    });
  });

  it('reports queue depth by state and the outbox lag, read on scrape', async () => {
    // The job schedulers of the queue come and go as delayed jobs too: compare with BullMQ's own count.
    const queue = app.get(QueueRegistry).get('provisioning');
    await queue.add('release-number', { numberId: 'later' }, { delay: 3_600_000, jobId: 'metrics-delayed' });
    let text = '';
    await eventually(async () => {
      text = await scrape();
      const counts = await queue.getJobCounts('delayed', 'failed');
      expect(sample(text, 'numbers_queue_jobs{queue="provisioning",state="delayed"}')).toBe(counts['delayed']);
      expect(counts['delayed']).toBeGreaterThanOrEqual(1);
    });
    expect(sample(text, 'numbers_queue_jobs{queue="provisioning",state="failed"}')).toBe(0);
    expect(text).not.toContain('queue="billing"'); // only the queues this worker owns
    expect(sample(text, 'numbers_outbox_lag_seconds')).toBe(0);

    // A row the relay cannot publish (unknown job), two minutes old: the relays are behind.
    const stuck = await db
      .insertInto('outbox')
      .values({ kind: 'job', name: 'no-such-job', payload: {}, createdAt: sql<Date>`now() - interval '2 minutes'` })
      .returning('id')
      .executeTakeFirstOrThrow();
    text = await scrape();
    expect(sample(text, 'numbers_outbox_lag_seconds')).toBeGreaterThanOrEqual(120);
    const ready = await get('/health/ready');
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'error', error: { outbox: { status: 'down', message: 'outbox lag over 60000 ms' } } });

    await db.deleteFrom('outbox').where('id', '=', stuck.id).execute();
    expect((await get('/health/ready')).status).toBe(200);
  });

  it('counts the statements its database sent (the relay polls meanwhile: at least ours)', async () => {
    const before = sample(await scrape(), 'numbers_database_statements_total');
    expect(before).toBeGreaterThan(0);
    await db.selectFrom('plans').select('code').execute();
    const after = sample(await scrape(), 'numbers_database_statements_total') ?? 0;
    expect(after).toBeGreaterThanOrEqual((before ?? 0) + 1);
    expect(after).toBeLessThanOrEqual(db.statementsSent);
  });

  it('counts numbers by state at most every METRICS_NUMBERS_REFRESH_MS, every state shown', async () => {
    const { accountId, profileId } = await createTestAccount(db);
    const addActive = () => db.insertInto('phoneNumbers').values({ id: newId(), accountId, profileId, country: 'US', status: 'active', monthlyCents: 300 }).execute();
    await addActive();
    await eventually(async () => expect(sample(await scrape(), 'numbers_phone_numbers{status="active"}')).toBe(1));
    const text = await scrape();
    expect(sample(text, 'numbers_phone_numbers{status="released"}')).toBe(0);
    await addActive();
    expect(sample(await scrape(), 'numbers_phone_numbers{status="active"}')).toBe(1); // the cached count
    await eventually(async () => expect(sample(await scrape(), 'numbers_phone_numbers{status="active"}')).toBe(2));
  });

  it('is not ready from the moment it starts to stop, while its jobs drain', async () => {
    hold = new Promise((resolve) => (release = resolve));
    const before = started;
    await db.insertInto('outbox').values({ kind: 'job', name: 'release-number', payload: { numberId: 'n-drain' } }).execute();
    await eventually(() => expect(started).toBe(before + 1));
    const closing = app.close();
    closed = true;
    await eventually(async () => {
      const ready = await get('/health/ready');
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ error: { worker: { status: 'down', message: 'shutting down' } } });
    });
    expect((await get('/health/live')).status).toBe(200);
    release();
    await closing;
    await expect(get('/health/live')).rejects.toThrow();
  });
});
