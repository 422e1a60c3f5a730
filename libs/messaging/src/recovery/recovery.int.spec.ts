import type { TestingModule } from '@nestjs/testing';
import { SCHEDULED_JOB_NAMES, WEBHOOK_JOB_NAMES, scheduledJobsOfQueue, type JobPayloads } from '@numbers/contracts';
import { Database, FailedJobRepository, WebhookEventRepository, WebhookInbox, type FailedJob } from '@numbers/persistence';
import { eventually, flushRedisPrefix, testRedisUrl } from '@numbers/test-support';
import type { HandlesJob } from '../handlers/handles-job';
import { JobHandler } from '../handlers/job-handler.decorator';
import { MessagingModule } from '../messaging.module';
import { QueueRegistry } from '../queues/queue-registry';
import { doNothingHandlersOf, messagingTestBed, startTestContext, type MessagingTestBed } from '../testing/messaging-test-app';
import type { HandlesWebhookEvent } from '../webhook-events/handles-webhook-event';
import { WebhookEventHandler } from '../webhook-events/webhook-event-handler.decorator';
import { WebhookEventsModule } from '../webhook-events/webhook-events.module';

jest.setTimeout(90_000);

/** What the provider does for each number: 'down' (a 5xx: retried), 'refuses' (a 4xx: not), or answers. */
const provider = new Map<string, 'down' | 'refuses'>();
const runs: { numberId: string; succeeded: boolean }[] = [];
/** While set, a run waits for it: the job stays active, the queue behind it waiting. */
let gate: Promise<void> | undefined;

@JobHandler('release-number')
class ReleaseAtProviderHandler implements HandlesJob<'release-number'> {
  async handle({ numberId }: JobPayloads['release-number']): Promise<void> {
    await gate;
    const state = provider.get(numberId);
    runs.push({ numberId, succeeded: !state });
    if (state === 'down') throw new Error('telnyx phone_numbers.delete failed: 500');
    if (state === 'refuses') throw Object.assign(new Error('telnyx phone_numbers.delete failed: 422 10015'), { retryable: false });
  }
}

let stripeDown = false;
const invoicesSettled: string[] = [];

@WebhookEventHandler('stripe', 'invoice.payment_failed')
class PaymentFailedTestHandler implements HandlesWebhookEvent<'stripe'> {
  async handle(event: Parameters<HandlesWebhookEvent<'stripe'>['handle']>[0]) {
    if (stripeDown) throw new Error('database unavailable');
    invoicesSettled.push(event.eventId);
    return { outcome: 'applied' as const };
  }
}

/**
 * Integration (real PostgreSQL and Redis): a job that fails for good is recorded in failed_jobs
 * and re-driven through the outbox with growing delays, then left for an operator; a failed webhook
 * event is processed again; jobs Redis lost are published again; lost schedulers come back.
 * Attempts, delays and thresholds are shortened through configuration.
 */
describe('failed and lost work', () => {
  let bed: MessagingTestBed;
  let provisioning: TestingModule;
  let billing: TestingModule;
  let failures: FailedJobRepository;

  const release = async (numberId: string): Promise<string> => {
    const row = await provisioning
      .get(Database)
      .insertInto('outbox')
      .values({ kind: 'job', name: 'release-number', payload: JSON.stringify({ numberId }) })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  };
  const failureOf = async (numberId: string): Promise<FailedJob | undefined> =>
    (await failures.list({ limit: 100 })).find((f) => (f.payload as { numberId?: string }).numberId === numberId);
  const runsOf = (numberId: string) => runs.filter((r) => r.numberId === numberId);

  beforeAll(async () => {
    bed = await messagingTestBed({
      PROVIDER_CALL_ATTEMPTS: '2',
      REDRIVE_DELAYS_MS: '300,1500',
      SCHEDULE_REDRIVE_FAILED_JOBS_MS: '100',
      SCHEDULE_RECOVER_LOST_JOBS_MS: '200',
      LOST_JOB_AFTER_MS: '1000',
      SCHEDULER_CHECK_MS: '300',
      WORKER_CONCURRENCY: '1',
    });
    provisioning = await startTestContext(
      bed.config,
      [MessagingModule.forWorker('provisioning-worker')],
      [ReleaseAtProviderHandler, ...doNothingHandlersOf('provisioning', ['release-number'])],
    );
    billing = await startTestContext(
      bed.config,
      [MessagingModule.forWorker('billing-worker'), WebhookEventsModule.forWorker('billing-worker')],
      [PaymentFailedTestHandler, ...doNothingHandlersOf('billing', WEBHOOK_JOB_NAMES)],
    );
    failures = provisioning.get(FailedJobRepository);
  });

  afterAll(async () => {
    await billing?.close();
    await provisioning?.close();
    await bed?.cleanup();
  });

  it('records a job that exhausted its retries, re-drives it later with a longer delay each time, and resolves it once the provider answers', async () => {
    provider.set('n-down', 'down');
    const outboxId = await release('n-down');

    const first = await eventually('the failure recorded', async () => {
      const f = await failureOf('n-down');
      return f?.reason === 'exhausted' && f;
    });
    expect(first).toMatchObject({
      outboxId,
      jobId: `release-number.${outboxId}`,
      name: 'release-number',
      payload: { numberId: 'n-down' },
      attempts: 2,
      lastError: 'telnyx phone_numbers.delete failed: 500',
    });
    expect(runsOf('n-down')).toHaveLength(2);
    const finished = await provisioning.get(Database).selectFrom('outbox').select('finishedAt').where('id', '=', outboxId).executeTakeFirstOrThrow();
    expect(finished.finishedAt).toBeInstanceOf(Date);

    // The first re-drive (after 300 ms) fails both its attempts again: waiting, for the next, longer delay.
    const second = await eventually('the failure re-driven once and failed again', async () => {
      const f = await failureOf('n-down');
      return f?.redrives === 1 && f.status === 'waiting' && f;
    });
    expect(second.id).toBe(first.id);
    expect(second.outboxId).not.toBe(outboxId);
    expect(second.totalAttempts).toBe(4);
    expect(Number(second.nextRedriveAt) - Number(second.failedAt)).toBeGreaterThanOrEqual(1400);

    provider.delete('n-down');
    const resolved = await eventually('the re-driven job resolved', async () => {
      const f = await failureOf('n-down');
      return f?.status === 'resolved' && f;
    });
    expect(resolved.redrives).toBe(2);
    expect(runsOf('n-down').filter((r) => r.succeeded)).toHaveLength(1);
  });

  it('leaves a job out of re-drives abandoned for an operator, who can re-drive it', async () => {
    provider.set('n-gone', 'down');
    await release('n-gone');
    const abandoned = await eventually(
      'the failure abandoned',
      async () => {
        const f = await failureOf('n-gone');
        return f?.status === 'abandoned' && f;
      },
      20_000,
    );
    // The first run and one run per delay (300 ms, 1.5 s), two attempts each.
    expect(abandoned).toMatchObject({ reason: 'exhausted', redrives: 2, totalAttempts: 6, nextRedriveAt: null });
    await new Promise((r) => setTimeout(r, 500));
    expect(runsOf('n-gone')).toHaveLength(6);

    provider.delete('n-gone');
    expect(await failures.redrive(abandoned.id)).toMatchObject({ status: 'redriven', redrives: 3 });
    await eventually('the operator re-drive resolved', async () => (await failures.findById(abandoned.id))?.status === 'resolved');
    expect(await failures.redrive(abandoned.id)).toBeUndefined();
  });

  it('leaves a refused job abandoned at once, after one attempt, and never re-drives it', async () => {
    provider.set('n-refused', 'refuses');
    await release('n-refused');
    const refused = await eventually('the refusal recorded', async () => failureOf('n-refused'));
    expect(refused).toMatchObject({ reason: 'refused', status: 'abandoned', attempts: 1, redrives: 0, lastError: 'telnyx phone_numbers.delete failed: 422 10015' });
    await new Promise((r) => setTimeout(r, 800));
    expect(runsOf('n-refused')).toHaveLength(1);
  });

  it('processes again a webhook event whose processing failed on every attempt (the provider will not resend it)', async () => {
    stripeDown = true;
    const db = billing.get(Database);
    const body = JSON.stringify({ id: 'evt_lost_1', object: 'event', type: 'invoice.payment_failed', data: { object: { id: 'in_1' } } });
    const { stored } = await new WebhookInbox(db).record('stripe', body, [{ eventId: 'evt_lost_1', eventType: 'invoice.payment_failed' }]);
    const events = new WebhookEventRepository(db);
    await eventually('the event marked failed', async () => (await events.findById(stored[0].id))?.outcome === 'failed');
    const failure = await eventually('the failure recorded', async () => (await failures.list({ limit: 100 })).find((f) => f.name === 'process-stripe-event'));
    expect(failure).toMatchObject({ reason: 'exhausted', payload: { webhookEventId: stored[0].id } });

    stripeDown = false;
    await eventually('the event processed on a re-drive', async () => (await events.findById(stored[0].id))?.outcome === 'applied');
    expect(invoicesSettled).toEqual(['evt_lost_1']);
    await eventually('the failure resolved', async () => (await failures.findById(failure.id))?.status === 'resolved');
  });

  it('publishes again the jobs Redis lost, and re-creates the lost job schedulers', async () => {
    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    const numbers = ['lost-1', 'lost-2', 'lost-3'];
    const ids = await Promise.all(numbers.map(release));
    const queue = provisioning.get(QueueRegistry).get('provisioning');
    // One job active (held by the gate), the others waiting behind it.
    await eventually('the jobs in BullMQ', async () => {
      const states = await Promise.all(ids.map((id) => queue.getJobState(`release-number.${id}`)));
      return states.includes('active') && states.filter((s) => s === 'waiting').length === 2;
    });

    // Redis restarted empty.
    expect(await flushRedisPrefix(testRedisUrl(), bed.prefix)).toBeGreaterThan(0);
    expect(await queue.getJobScheduler('recover-lost-jobs')).toBeUndefined();
    gate = undefined;
    open();

    await eventually(
      'every lost job run',
      async () => numbers.every((n) => runsOf(n).some((r) => r.succeeded)),
      20_000,
    );
    const rows = await provisioning.get(Database).selectFrom('outbox').select(['id', 'finishedAt']).where('id', 'in', ids).execute();
    expect(rows.every((r) => r.finishedAt)).toBe(true);
    // Each ran once: the active one finished where it was, the waiting ones were published again.
    for (const n of numbers) expect(runsOf(n)).toHaveLength(1);

    const billingQueue = provisioning.get(QueueRegistry).get('billing');
    await eventually('the schedulers back', async () => {
      const found = await Promise.all([
        ...scheduledJobsOfQueue('provisioning').map((id) => queue.getJobScheduler(id)),
        ...scheduledJobsOfQueue('billing').map((id) => billingQueue.getJobScheduler(id)),
      ]);
      return found.every(Boolean);
    });
    expect(SCHEDULED_JOB_NAMES).toContain('recover-lost-jobs');
  });
});
