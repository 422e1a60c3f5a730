import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import type { WorkerApp } from '@numbers/contracts';
import { Worker } from 'bullmq';
import { JobHandlerRegistry } from '../handlers/job-handler-registry';
import { WorkerWiringError, queuesOwnedBy, wiringProblems } from '../handlers/wiring-check';
import { QueueRegistry } from '../queues/queue-registry';
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
 * closed on shutdown, waiting for their active jobs.
 *
 * At bootstrap it also upserts the job scheduler of each scheduled job (`SCHEDULES` in
 * @numbers/contracts) of those queues, every `config.schedules[job]` ms. The scheduler's id is the
 * job name, so replicas booting together, or again, keep one scheduler per job (the last upsert's
 * interval wins): each tick runs the job once in the cluster.
 */
@Injectable()
export class WorkerRunner implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WorkerRunner.name);
  private readonly workers: Worker[] = [];
  private readonly backoff: BackoffStrategy;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    private readonly config: AppConfig,
    private readonly registry: JobHandlerRegistry,
    private readonly redis: RedisConnections,
    private readonly queues: QueueRegistry,
  ) {
    this.backoff = customBackoff(config);
  }

  onModuleInit(): void {
    const app = this.options.app;
    if (!app) return;
    const problems = wiringProblems(app, this.registry.discoveredHandlers());
    if (problems.length > 0) throw new WorkerWiringError(app, problems);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.options.app) return;
    for (const queue of queuesOwnedBy(this.options.app)) {
      const router = new JobRouter(queue, this.registry);
      const worker = new Worker(queue, (job, token) => router.process(job, token), {
        connection: this.redis.get('worker'),
        prefix: this.config.redis.prefix,
        name: this.options.app,
        concurrency: queue === 'deliveries' ? this.config.deliveryConcurrency : this.config.workerConcurrency,
        lockDuration: this.config.workerLockMs,
        stalledInterval: this.config.workerLockMs,
        autorun: false,
        settings: { backoffStrategy: this.backoff },
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
  }

  private async upsertSchedules(app: WorkerApp): Promise<void> {
    for (const schedule of schedulesOf(app, this.config.schedules)) {
      await this.queues.get(schedule.queue).upsertJobScheduler(schedule.id, { every: schedule.every }, schedule.template);
      this.logger.log({ job: schedule.id, queue: schedule.queue, everyMs: schedule.every }, 'job scheduled');
    }
  }

  /** Stops taking jobs and waits for the active ones to finish (a SIGTERM never cuts a job). */
  async onModuleDestroy(): Promise<void> {
    const workers = this.workers.splice(0);
    if (workers.length === 0) return;
    this.logger.log(`closing ${workers.length} worker(s): waiting for active jobs`);
    await Promise.all(workers.map((w) => w.close()));
    this.logger.log('workers closed');
  }

  get running(): readonly Worker[] {
    return this.workers;
  }
}
