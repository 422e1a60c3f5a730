import type { TestingModule } from '@nestjs/testing';
import type { HandlesJob, JobContext } from '../handlers/handles-job';
import { JobHandler } from '../handlers/job-handler.decorator';
import { MessagingModule } from '../messaging.module';
import { QueueRegistry } from '../queues/queue-registry';
import { doNothingHandlersOf, messagingTestBed, startTestContext, type MessagingTestBed } from '../testing/messaging-test-app';

jest.setTimeout(60_000);

const EVERY_MS = 400;
const runs: { jobId: string; at: number }[] = [];

@JobHandler('resume-stalled-provisioning')
class RecordingSweepHandler implements HandlesJob<'resume-stalled-provisioning'> {
  async handle(_payload: Record<string, never>, ctx: JobContext): Promise<void> {
    runs.push({ jobId: ctx.jobId, at: Date.now() });
  }
}

const OTHER_PROVISIONING_HANDLERS = doNothingHandlersOf('provisioning', ['resume-stalled-provisioning']);

async function until(check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  for (const started = Date.now(); Date.now() - started < ms; ) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not met in time');
}

/**
 * Integration (real Redis): the worker that owns a queue keeps one BullMQ job scheduler per
 * scheduled job of it (SCHEDULES), and the job runs on its interval; two replicas booting
 * against the same Redis keep one scheduler, and each tick runs once.
 */
describe('scheduled jobs (WorkerRunner)', () => {
  let bed: MessagingTestBed;
  const replicas: TestingModule[] = [];

  beforeAll(async () => {
    bed = await messagingTestBed({ SCHEDULE_RESUME_STALLED_PROVISIONING_MS: String(EVERY_MS) });
  });

  afterAll(async () => {
    await Promise.all(replicas.map((app) => app.close()));
    await bed?.cleanup();
  });

  it('two replicas upsert one scheduler, and each tick runs the job once', async () => {
    const boot = () =>
      startTestContext(bed.config, [MessagingModule.forWorker('provisioning-worker')], [RecordingSweepHandler, ...OTHER_PROVISIONING_HANDLERS]);
    replicas.push(...(await Promise.all([boot(), boot()])));

    const queue = replicas[0].get(QueueRegistry).get('provisioning');
    const schedulerKeys = async () => (await queue.getJobSchedulers()).map((s) => s.key).sort();
    const schedulers = (await queue.getJobSchedulers()).sort((a, b) => a.key.localeCompare(b.key));
    expect(schedulers.map((s) => [s.key, s.name, s.every])).toEqual([
      ['erase-expired-kyc', 'erase-expired-kyc', bed.config.schedules['erase-expired-kyc']],
      ['prune-records', 'prune-records', bed.config.schedules['prune-records']],
      ['recover-lost-jobs', 'recover-lost-jobs', bed.config.schedules['recover-lost-jobs']],
      ['redrive-failed-jobs', 'redrive-failed-jobs', bed.config.schedules['redrive-failed-jobs']],
      ['resume-stalled-provisioning', 'resume-stalled-provisioning', EVERY_MS],
      ['sweep-stock-watches', 'sweep-stock-watches', bed.config.schedules['sweep-stock-watches']],
    ]);
    expect(schedulers.find((s) => s.key === 'resume-stalled-provisioning')?.template?.opts).toMatchObject({ attempts: 1, removeOnComplete: { age: 3600, count: 10_000 } });

    await until(() => runs.length >= 4);
    const window = { from: runs[0].at, to: runs[runs.length - 1].at };
    // One job per tick in the whole cluster: distinct jobs, no more of them than ticks in the window.
    expect(new Set(runs.map((r) => r.jobId)).size).toBe(runs.length);
    expect(runs.length).toBeLessThanOrEqual(Math.floor((window.to - window.from) / EVERY_MS) + 2);
    for (const run of runs) expect(run.jobId).toMatch(/^repeat:resume-stalled-provisioning:\d+$/);

    // A third replica booting (a restart) still leaves one scheduler.
    replicas.push(await boot());
    expect(await schedulerKeys()).toEqual(['erase-expired-kyc', 'prune-records', 'recover-lost-jobs', 'redrive-failed-jobs', 'resume-stalled-provisioning', 'sweep-stock-watches']);
  });
});
