import type { TestingModule } from '@nestjs/testing';
import { sql } from 'kysely';
import { AppConfig } from '@numbers/config';
import type { JobPayloads } from '@numbers/contracts';
import { Database } from '@numbers/persistence';
import { testEnv } from '@numbers/test-support';
import type { HandlesJob, JobContext } from '../handlers/handles-job';
import { JobHandler } from '../handlers/job-handler.decorator';
import { WorkerWiringError } from '../handlers/wiring-check';
import { MessagingModule } from '../messaging.module';
import { QueueRegistry } from '../queues/queue-registry';
import { doNothingHandlersOf, messagingTestBed, startTestContext, type MessagingTestBed } from '../testing/messaging-test-app';
import { WorkerRunner } from './worker-runner';

jest.setTimeout(60_000);

const calls: { payload: JobPayloads['release-number']; ctx: JobContext; finishedAt?: number }[] = [];
let failNext = 0;
let failForGood = false;
let slowMs = 0;

@JobHandler('release-number')
class RecordingReleaseHandler implements HandlesJob<'release-number'> {
  async handle(payload: JobPayloads['release-number'], ctx: JobContext): Promise<void> {
    const call: (typeof calls)[number] = { payload, ctx };
    calls.push(call);
    if (slowMs) await new Promise((r) => setTimeout(r, slowMs));
    if (failForGood) {
      throw Object.assign(new Error('telnyx phone_numbers.delete failed: 422 10015'), { retryable: false });
    }
    if (failNext > 0) {
      failNext--;
      throw new Error('provider down');
    }
    call.finishedAt = Date.now();
  }
}

/**
 * A do-nothing handler for each other job of the provisioning queue, so these tests boot the
 * worker whatever jobs the registry adds to the queue.
 */
const OTHER_PROVISIONING_HANDLERS = doNothingHandlersOf('provisioning', ['release-number']);

/** Like a provisioning job: a transaction, a provider's answer awaited with none open, another transaction. */
const provider = { waiting: new Set<string>(), done: new Set<string>(), answer: () => undefined as void, answered: Promise.resolve() };

@JobHandler('release-number')
class ProviderWaitingReleaseHandler implements HandlesJob<'release-number'> {
  constructor(private readonly db: Database) {}

  async handle({ numberId }: JobPayloads['release-number']): Promise<void> {
    await this.db.transaction().execute((tx) => sql`SELECT pg_sleep(0.01)`.execute(tx));
    provider.waiting.add(numberId);
    await provider.answered;
    await this.db.transaction().execute((tx) => sql`SELECT 1`.execute(tx));
    provider.done.add(numberId);
  }
}

@JobHandler('release-number')
class SecondReleaseHandler implements HandlesJob<'release-number'> {
  async handle(): Promise<string> {
    return 'second';
  }
}

async function until(check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  for (const started = Date.now(); Date.now() - started < ms; ) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not met in time');
}

describe('a worker app (MessagingModule.forWorker)', () => {
  let bed: MessagingTestBed;

  beforeAll(async () => {
    bed = await messagingTestBed();
  });

  afterAll(async () => {
    await bed?.cleanup();
  });

  beforeEach(() => {
    calls.length = 0;
    failNext = 0;
    failForGood = false;
    slowMs = 0;
  });

  it('refuses to boot when a job it owns has no handler, naming the job', async () => {
    const boot = startTestContext(bed.config, [MessagingModule.forWorker('provisioning-worker')]);
    await expect(boot).rejects.toThrow(WorkerWiringError);
    await expect(
      startTestContext(bed.config, [MessagingModule.forWorker('provisioning-worker')]),
    ).rejects.toThrow(`job "release-number" (queue provisioning) has no handler`);
  });

  it('refuses to boot when a job has two handlers', async () => {
    await expect(
      startTestContext(
        bed.config,
        [MessagingModule.forWorker('provisioning-worker')],
        [RecordingReleaseHandler, SecondReleaseHandler],
      ),
    ).rejects.toThrow('job "release-number" (queue provisioning) has 2 handlers: RecordingReleaseHandler, SecondReleaseHandler');
  });

  it('refuses to boot a handler of a job that another app owns', async () => {
    await expect(
      startTestContext(bed.config, [MessagingModule.forWorker('billing-worker')], [RecordingReleaseHandler]),
    ).rejects.toThrow('RecordingReleaseHandler handles job "release-number" of queue provisioning, which provisioning-worker owns');
  });

  describe('once booted', () => {
    let app: TestingModule;
    let outbox: (numberId: string) => Promise<{ id: string }>;

    beforeAll(async () => {
      app = await startTestContext(
        bed.config,
        [MessagingModule.forWorker('provisioning-worker')],
        [RecordingReleaseHandler, ...OTHER_PROVISIONING_HANDLERS],
      );
      outbox = (numberId) =>
        app
          .get(Database)
          .insertInto('outbox')
          .values({ kind: 'job', name: 'release-number', payload: { numberId } })
          .returning('id')
          .executeTakeFirstOrThrow();
    });

    afterAll(async () => {
      await app?.close();
    });

    it('relays an outbox row to its queue and routes the job to its handler with the job id', async () => {
      const row = await outbox('n1');
      await until(() => calls.some((c) => c.finishedAt));
      expect(calls).toHaveLength(1);
      expect(calls[0].payload).toEqual({ numberId: 'n1' });
      expect(calls[0].ctx).toEqual({ jobId: `release-number.${row.id}`, name: 'release-number', queue: 'provisioning', attempt: 1, maxAttempts: 10 });
    });

    it('lets a failing handler throw: BullMQ retries the job with its backoff', async () => {
      failNext = 1;
      await outbox('n2');
      await until(() => calls.some((c) => c.payload.numberId === 'n2' && c.finishedAt));
      expect(calls.filter((c) => c.payload.numberId === 'n2').map((c) => c.ctx.attempt)).toEqual([1, 2]);
    });

    it('fails a job at once when its error says a retry cannot help, storing the reason', async () => {
      failForGood = true;
      const row = await outbox('n3');
      const queue = app.get(QueueRegistry).get('provisioning');
      await until(async () => (await queue.getJobState(`release-number.${row.id}`)) === 'failed');
      const failed = await queue.getJob(`release-number.${row.id}`);
      expect(failed?.failedReason).toBe('telnyx phone_numbers.delete failed: 422 10015');
      expect(failed?.attemptsMade).toBe(1);
    });

    it('fails a job that no handler here knows, without retrying', async () => {
      const queue = app.get(QueueRegistry).get('provisioning');
      const job = await queue.add('not-a-job', {}, { jobId: 'not-a-job.1', attempts: 5 });
      await until(async () => (await job.getState()) === 'failed');
      const failed = await queue.getJob('not-a-job.1');
      expect(failed?.failedReason).toBe('no handler for job "not-a-job" in this worker');
      expect(failed?.attemptsMade).toBe(1);
    });
  });

  it('runs more jobs at once than its pool has connections: a job waiting on a provider holds none', async () => {
    const jobs = 12;
    const config = AppConfig.fromEnv(
      testEnv({ DATABASE_URL: bed.database.url, REDIS_PREFIX: bed.prefix, LOG_LEVEL: 'warn', OUTBOX_POLL_MS: '20', WORKER_CONCURRENCY: String(jobs), DATABASE_POOL_SIZE: '3' }),
    );
    provider.answered = new Promise((resolve) => (provider.answer = resolve));
    const app = await startTestContext(config, [MessagingModule.forWorker('provisioning-worker')], [ProviderWaitingReleaseHandler, ...OTHER_PROVISIONING_HANDLERS]);
    try {
      const db = app.get(Database);
      await db
        .insertInto('outbox')
        .values(Array.from({ length: jobs }, (_, i) => ({ kind: 'job', name: 'release-number', payload: { numberId: `waiting-${i}` } })))
        .execute();
      await until(() => provider.waiting.size === jobs);
      expect(db.poolSize).toBe(3);
      provider.answer();
      await until(() => provider.done.size === jobs);
    } finally {
      provider.answer();
      await app.close();
    }
  });

  it('on shutdown waits for the active job to finish before closing', async () => {
    const app = await startTestContext(
      bed.config,
      [MessagingModule.forWorker('provisioning-worker')],
      [RecordingReleaseHandler, ...OTHER_PROVISIONING_HANDLERS],
    );
    slowMs = 1500;
    await app.get(Database).insertInto('outbox').values({ kind: 'job', name: 'release-number', payload: { numberId: 'slow' } }).execute();
    await until(() => calls.some((c) => c.payload.numberId === 'slow'));
    await app.close();
    const closedAt = Date.now();
    const slow = calls.find((c) => c.payload.numberId === 'slow');
    expect(slow?.finishedAt).toBeLessThanOrEqual(closedAt);
    expect(app.get(WorkerRunner).running).toHaveLength(0);
  });

  it('on shutdown hands back a job still running after SHUTDOWN_DRAIN_MS: another worker runs it at once, the attempt not counted', async () => {
    const impatient = AppConfig.fromEnv(
      testEnv({ DATABASE_URL: bed.database.url, REDIS_PREFIX: bed.prefix, LOG_LEVEL: 'fatal', OUTBOX_POLL_MS: '20', SHUTDOWN_DRAIN_MS: '300' }),
    );
    const app = await startTestContext(impatient, [MessagingModule.forWorker('provisioning-worker')], [RecordingReleaseHandler, ...OTHER_PROVISIONING_HANDLERS]);
    slowMs = 4000;
    await app.get(Database).insertInto('outbox').values({ kind: 'job', name: 'release-number', payload: { numberId: 'stuck' } }).execute();
    await until(() => calls.some((c) => c.payload.numberId === 'stuck'));
    const closing = Date.now();
    await app.close();
    expect(Date.now() - closing).toBeLessThan(2000);

    slowMs = 0;
    const next = await startTestContext(bed.config, [MessagingModule.forWorker('provisioning-worker')], [RecordingReleaseHandler, ...OTHER_PROVISIONING_HANDLERS]);
    try {
      // Well before the first run ends, and before any stall check (WORKER_LOCK_MS) could find it.
      await until(() => calls.filter((c) => c.payload.numberId === 'stuck' && c.finishedAt).length === 1, 3000);
      const [first, second] = calls.filter((c) => c.payload.numberId === 'stuck');
      expect(first.finishedAt).toBeUndefined();
      expect(second.ctx.attempt).toBe(1);
      // The first run ends in its own time; its worker then finds the job no longer its own.
      await until(() => first.finishedAt !== undefined);
    } finally {
      await next.close();
    }
  });
});
