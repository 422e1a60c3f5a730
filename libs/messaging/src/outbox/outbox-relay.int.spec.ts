import { randomBytes } from 'node:crypto';
import type { TestingModule } from '@nestjs/testing';
import { jobIdFor, type QueueName } from '@numbers/contracts';
import { Database } from '@numbers/persistence';
import { testRedisUrl } from '@numbers/test-support';
import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { MessagingModule } from '../messaging.module';
import { QueueRegistry } from '../queues/queue-registry';
import { messagingTestBed, startTestContext, type MessagingTestBed } from '../testing/messaging-test-app';
import { OUTBOX_BATCH_SIZE, OutboxRelay } from './outbox-relay';

jest.setTimeout(120_000);

/** Integration: real PostgreSQL (a database of this file) and Redis (a prefix of this file). */
describe('OutboxRelay', () => {
  let bed: MessagingTestBed;
  let apps: TestingModule[];
  let db: Database;
  let queues: QueueRegistry;
  let subscriber: Redis;
  const received: string[] = [];
  const tag = randomBytes(4).toString('hex');

  beforeAll(async () => {
    bed = await messagingTestBed();
    // Three processes' worth of relays: each its own database pool, Redis connections, ClientProxy.
    apps = await Promise.all([1, 2, 3].map(() => startTestContext(bed.config, [MessagingModule.forProducer()])));
    db = apps[0].get(Database);
    queues = apps[0].get(QueueRegistry);
    subscriber = new Redis(testRedisUrl());
    await subscriber.subscribe('number.status_changed');
    subscriber.on('message', (_channel, message: string) => {
      const numberId = (JSON.parse(message) as { data: { numberId: string } }).data.numberId;
      if (numberId.startsWith(tag)) received.push(numberId);
    });
  });

  afterAll(async () => {
    subscriber?.disconnect();
    await Promise.all((apps ?? []).map((app) => app.close()));
    await bed?.cleanup();
  });

  afterEach(async () => {
    await Promise.all((apps ?? []).map((app) => app.get(OutboxRelay).stop()));
    for (const queue of queues.all()) await queue.obliterate({ force: true });
    await db.deleteFrom('outbox').execute();
    received.length = 0;
  });

  async function unpublished(): Promise<number> {
    const { n } = await db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('publishedAt', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(n);
  }

  async function waitUntilPublished(): Promise<void> {
    for (const started = Date.now(); Date.now() - started < 60_000; ) {
      if ((await unpublished()) === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('outbox not drained within 60 s');
  }

  async function jobIds(queue: QueueName): Promise<string[]> {
    const jobs: Job[] = await queues.get(queue).getJobs(['wait', 'prioritized', 'delayed'], 0, -1);
    return jobs.map((j) => j.id ?? '');
  }

  it('publishes 2,000 rows with three relays running at once: every job enqueued exactly once', async () => {
    const submitted: string[] = [];
    for (const app of apps) {
      for (const queue of app.get(QueueRegistry).all()) {
        const addBulk = queue.addBulk.bind(queue);
        jest.spyOn(queue, 'addBulk').mockImplementation((jobs) => {
          submitted.push(...jobs.map((j) => j.opts?.jobId ?? ''));
          return addBulk(jobs);
        });
      }
    }
    const rows = Array.from({ length: 2000 }, (_, i) => {
      if (i % 4 === 0) return { kind: 'event' as const, name: 'number.status_changed', payload: { numberId: `${tag}-${i}` } };
      if (i % 4 === 1) return { kind: 'job' as const, name: 'sync-subscription-quantity', payload: { accountId: `a${i}`, cause: 't' } };
      return { kind: 'job' as const, name: 'release-number', payload: { numberId: `n${i}` } };
    });
    await db.insertInto('outbox').values(rows).execute();
    const stored = await db.selectFrom('outbox').select(['id', 'name']).orderBy('id').execute();

    const started = Date.now();
    apps.forEach((app) => app.get(OutboxRelay).start());
    await waitUntilPublished();
    const elapsed = Date.now() - started;

    const expected = (name: string) =>
      stored.filter((r) => r.name === name).map((r) => jobIdFor(r.name as 'release-number', r.id)).sort();
    // No relay submitted a row that another had submitted.
    expect(submitted).toHaveLength(1500);
    expect(new Set(submitted).size).toBe(1500);
    // BullMQ holds exactly one job per job row, under its deterministic id.
    expect((await jobIds('provisioning')).sort()).toEqual(expected('release-number'));
    expect((await jobIds('billing')).sort()).toEqual(expected('sync-subscription-quantity'));
    expect(await queues.get('provisioning').getJobCounts('wait')).toEqual({ wait: 1000 });
    // Events went out once each.
    await new Promise((r) => setTimeout(r, 300));
    expect(received).toHaveLength(500);
    expect(new Set(received).size).toBe(500);
    // Rows are marked.
    expect(await unpublished()).toBe(0);
    expect(elapsed).toBeLessThan(30_000);
  });

  it('carries the registered retry policy and retention on each job', async () => {
    await db.insertInto('outbox').values({ kind: 'job', name: 'release-number', payload: { numberId: 'n1' } }).execute();
    await apps[0].get(OutboxRelay).drain();
    const [id] = await jobIds('provisioning');
    const job = await queues.get('provisioning').getJob(id);
    expect(job?.data).toEqual({ numberId: 'n1' });
    expect(job?.opts).toMatchObject({ attempts: 10, backoff: { type: 'exponential', delay: 500 } });
    expect(job?.opts.removeOnComplete).toEqual({ age: 3600, count: 10_000 });
  });

  it('a relay that crashed between publishing and marking publishes again without a second job', async () => {
    await db
      .insertInto('outbox')
      .values(Array.from({ length: 10 }, (_, i) => ({ kind: 'job' as const, name: 'release-number', payload: { numberId: `n${i}` } })))
      .execute();
    const relay = apps[0].get(OutboxRelay);
    // The "crash": jobs are in Redis but the transaction never marked the rows.
    expect(await relay.relayBatch({ markPublished: false })).toEqual({ selected: 10, published: 10 });
    expect(await unpublished()).toBe(10);
    expect(await queues.get('provisioning').getJobCounts('wait')).toEqual({ wait: 10 });

    // Another relay (another process) picks the rows up again.
    expect(await apps[1].get(OutboxRelay).drain()).toBe(10);
    expect(await unpublished()).toBe(0);
    expect(await queues.get('provisioning').getJobCounts('wait')).toEqual({ wait: 10 });
  });

  it('drains more than one batch in a single pass', async () => {
    const total = OUTBOX_BATCH_SIZE * 2 + 5;
    await db
      .insertInto('outbox')
      .values(Array.from({ length: total }, (_, i) => ({ kind: 'job' as const, name: 'release-number', payload: { numberId: `n${i}` } })))
      .execute();
    expect(await apps[0].get(OutboxRelay).drain()).toBe(total);
  });

  it('leaves a row it cannot read unpublished, stores why, and publishes the rest', async () => {
    await db
      .insertInto('outbox')
      .values([
        { kind: 'job', name: 'job-of-a-newer-release', payload: {} },
        { kind: 'job', name: 'release-number', payload: { numberId: 'n1' } },
      ])
      .execute();
    expect(await apps[0].get(OutboxRelay).drain()).toBe(1);
    const left = await db.selectFrom('outbox').selectAll().where('publishedAt', 'is', null).execute();
    expect(left).toMatchObject([{ name: 'job-of-a-newer-release', attempts: 1, lastError: 'unknown job "job-of-a-newer-release"' }]);
  });

  it('leaves the rows of a batch it could not publish unpublished, counting the attempt and why', async () => {
    await db.insertInto('outbox').values({ kind: 'job', name: 'release-number', payload: { numberId: 'n1' } }).execute();
    jest.spyOn(apps[0].get(QueueRegistry).get('provisioning'), 'addBulk').mockRejectedValueOnce(new Error('Redis went away'));
    await expect(apps[0].get(OutboxRelay).relayBatch()).rejects.toThrow('Redis went away');
    expect(await db.selectFrom('outbox').select(['publishedAt', 'attempts', 'lastError']).execute()).toEqual([
      { publishedAt: null, attempts: 1, lastError: 'Redis went away' },
    ]);
    expect(await apps[0].get(OutboxRelay).drain()).toBe(1);
  });

  it('stops cleanly: after stop() nothing more is published', async () => {
    const relay = apps[0].get(OutboxRelay);
    relay.start();
    await db.insertInto('outbox').values({ kind: 'job', name: 'release-number', payload: { numberId: 'n1' } }).execute();
    await waitUntilPublished();
    await relay.stop();
    await db.insertInto('outbox').values({ kind: 'job', name: 'release-number', payload: { numberId: 'n2' } }).execute();
    await new Promise((r) => setTimeout(r, 200));
    expect(await unpublished()).toBe(1);
  });
});
