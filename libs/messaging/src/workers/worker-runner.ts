import { setTimeout as delay } from 'node:timers/promises';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import type { QueueName, WorkerApp } from '@numbers/contracts';
import { Worker, type Job } from 'bullmq';
import { JobHandlerRegistry } from '../handlers/job-handler-registry';
import { AppMetrics } from '../metrics/app-metrics';
import { WorkerWiringError, queuesOwnedBy, wiringProblems } from '../handlers/wiring-check';
import { QueueRegistry } from '../queues/queue-registry';
import { queueTelemetry } from '../queues/queue-telemetry';
import { JobOutcomes } from '../recovery/job-outcomes';
import { RedisConnections } from '../redis/redis-connections';
import { customBackoff, type BackoffStrategy } from './delivery-backoff';
import { JobRouter } from './job-router';
import { schedulesOf } from './job-schedules';
import { MESSAGING_OPTIONS, type MessagingOptions } from './messaging-options';

/**
 * Runs the BullMQ workers of the queues this app owns, each with a `JobRouter` that hands a job
 * to its one `@JobHandler`. At module init it checks the wiring
 * (every owned job has exactly one handler...) and throws `WorkerWiringError` naming each
 * problem, so the app refuses to boot. Workers start once the whole app is initialised and are
 * closed on shutdown, waiting a bounded time for their active jobs. A job holds a database
 * connection only while a statement or transaction of its own runs, so the pool
 * (DATABASE_POOL_SIZE) does not grow with the jobs run at once: the jobs mostly wait on providers.
 *
 * At bootstrap it also upserts the job scheduler of each scheduled job (`SCHEDULES` in
 * @numbers/contracts) of those queues, every `config.schedules[job]` ms. The scheduler's id is the
 * job name, so replicas booting together, or again, keep one scheduler per job (the last upsert's
 * interval wins): each tick runs the job once in the cluster. Redis may lose them (restarted
 * empty): they are looked for again on every reconnection of the worker's connection and every
 * `SCHEDULER_CHECK_MS`, and those missing are created again.
 */
@Injectable()
export class WorkerRunner implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WorkerRunner.name);
  private readonly workers: Worker[] = [];
  /** The jobs running in this process, with the lock token each runs under. */
  private readonly active = new Map<Job, string>();
  private readonly backoff: BackoffStrategy;
  private schedulerCheck?: NodeJS.Timeout;
  private checkingSchedules?: Promise<void>;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    private readonly config: AppConfig,
    private readonly registry: JobHandlerRegistry,
    private readonly redis: RedisConnections,
    private readonly queues: QueueRegistry,
    private readonly outcomes: JobOutcomes,
    private readonly metrics: AppMetrics,
  ) {
    this.backoff = customBackoff(config);
  }

  onModuleInit(): void {
    const app = this.options.app;
    if (!app) return;
    const problems = wiringProblems(app, this.registry.discoveredHandlers());
    if (problems.length > 0) throw new WorkerWiringError(app, problems);
  }

  private concurrencyOf(queue: QueueName): number {
    return queue === 'deliveries' ? this.config.deliveryConcurrency : this.config.workerConcurrency;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.options.app) return;
    for (const queue of queuesOwnedBy(this.options.app)) {
      const router = new JobRouter(queue, this.registry, this.outcomes, this.metrics);
      const worker = new Worker(queue, (job, token) => this.tracked(job, token, () => router.process(job, token)), {
        connection: this.redis.get('worker'),
        prefix: this.config.redis.prefix,
        name: this.options.app,
        concurrency: this.concurrencyOf(queue),
        lockDuration: this.config.workerLockMs,
        // Looked for twice per lock: a dead worker's job waits for its lock to expire, then at
        // most one more check (docs/configuration.md).
        stalledInterval: Math.ceil(this.config.workerLockMs / 2),
        autorun: false,
        settings: { backoffStrategy: this.backoff },
        telemetry: queueTelemetry(this.config),
      });
      worker.on('error', (error) => this.logger.error(`worker ${queue}: ${error.message}`));
      worker.on('failed', (job, error) =>
        this.logger.warn(
          { jobId: job?.id, job: job?.name, attempt: job?.attemptsMade, err: error.message },
          'job failed',
        ),
      );
      this.workers.push(worker);
      void worker.run().catch((error: Error) => this.logger.error(`worker ${queue} stopped: ${error.message}`));
      await worker.waitUntilReady();
    }
    await this.upsertSchedules(this.options.app);
    this.keepSchedules(this.options.app);
  }

  private async upsertSchedules(app: WorkerApp): Promise<void> {
    for (const schedule of schedulesOf(app, this.config.schedules)) {
      await this.queues.get(schedule.queue).upsertJobScheduler(schedule.id, { every: schedule.every }, schedule.template);
      this.logger.log({ job: schedule.id, queue: schedule.queue, everyMs: schedule.every }, 'job scheduled');
    }
  }

  /** Re-creates lost schedulers when the worker's Redis connection is ready again, and periodically. */
  private keepSchedules(app: WorkerApp): void {
    const check = (): void => {
      this.checkingSchedules ??= this.recreateMissingSchedules(app)
        .catch((error: Error) => this.logger.error({ err: error.message }, 'could not check the job schedulers'))
        .finally(() => (this.checkingSchedules = undefined));
    };
    this.redis.get('worker').on('ready', check);
    this.schedulerCheck = setInterval(check, this.config.recovery.schedulerCheckMs);
    this.schedulerCheck.unref();
  }

  private async recreateMissingSchedules(app: WorkerApp): Promise<void> {
    for (const schedule of schedulesOf(app, this.config.schedules)) {
      const queue = this.queues.get(schedule.queue);
      if (await queue.getJobScheduler(schedule.id)) continue;
      await queue.upsertJobScheduler(schedule.id, { every: schedule.every }, schedule.template);
      this.logger.warn({ job: schedule.id, queue: schedule.queue, everyMs: schedule.every }, 'job scheduler was missing from Redis: created again');
    }
  }

  private async tracked<T>(job: Job, token: string | undefined, work: () => Promise<T>): Promise<T> {
    if (token) this.active.set(job, token);
    try {
      return await work();
    } finally {
      this.active.delete(job);
    }
  }

  /**
   * Stops taking jobs and lets the active ones finish for up to SHUTDOWN_DRAIN_MS. A job still
   * running then is handed back to its queue (waiting again, its attempt not counted), so another
   * worker takes it at once rather than after the stall check; the process exits with it
   * unfinished, which any job allows (it may run twice).
   */
  async onModuleDestroy(): Promise<void> {
    // A check in flight is not awaited: with Redis away it would hold the shutdown.
    clearInterval(this.schedulerCheck);
    const workers = this.workers.splice(0);
    if (workers.length === 0) return;
    const { drainMs } = this.config.shutdown;
    this.logger.log(`closing ${workers.length} worker(s): waiting up to ${drainMs} ms for active jobs`);
    const closed = Promise.all(workers.map((w) => w.close()));
    if (await Promise.race([closed.then(() => true), delay(drainMs, false, { ref: false })])) {
      this.logger.log('workers closed');
      return;
    }
    const running = [...this.active];
    this.active.clear();
    await Promise.all(
      running.map(([job, token]) =>
        job.moveToWait(token).catch((error: Error) => this.logger.error({ jobId: job.id, err: error.message }, 'could not hand a job back')),
      ),
    );
    this.logger.warn({ jobIds: running.map(([job]) => job.id) }, `jobs still running after ${drainMs} ms handed back to their queue`);
  }

  get running(): readonly Worker[] {
    return this.workers;
  }
}
