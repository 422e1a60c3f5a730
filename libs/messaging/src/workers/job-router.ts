import { Logger } from '@nestjs/common';
import { JOB_REQUEST_ID_KEY, type JobName, type QueueName } from '@numbers/contracts';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { DeferJob } from '../handlers/defer-job.error';
import type { JobContext } from '../handlers/handles-job';
import type { JobHandlerRegistry } from '../handlers/job-handler-registry';
import { withLogContext } from '../logging/log-context';
import type { AppMetrics, JobRunOutcome } from '../metrics/app-metrics';
import type { JobOutcomes } from '../recovery/job-outcomes';

/**
 * The processor of one queue: BullMQ hands it every job of the queue and it routes the job by
 * name to its one handler. It does no work itself. `WorkerRunner` builds one per queue the app
 * owns. It decides whether a failure is final (refused, or the last attempt) and has
 * `JobOutcomes` write down how each job ended. Every line logged while a job runs carries its job
 * id, its number id when the payload names one, and the gateway request it descends from when
 * one started it (`withLogContext`; outbox rows the job writes carry that request on); each run's
 * duration and outcome go to `AppMetrics`.
 */
export class JobRouter {
  private readonly logger: Logger;

  constructor(
    readonly queue: QueueName,
    private readonly registry: JobHandlerRegistry,
    private readonly outcomes: JobOutcomes,
    private readonly metrics: AppMetrics,
  ) {
    this.logger = new Logger(`JobRouter ${queue}`);
  }

  /** `token`: the worker's lock on the job, which a deferral needs to move it back. */
  process(job: Job, token?: string): Promise<unknown> {
    const { payload, reqId } = originOf(job.data);
    return withLogContext({ reqId, jobId: job.id, numberId: numberIdOf(payload) }, () => this.measured(job, payload, token));
  }

  private async measured(job: Job, payload: unknown, token?: string): Promise<unknown> {
    const started = performance.now();
    let outcome: JobRunOutcome = 'failed';
    try {
      const result = await this.route(job, payload, token);
      outcome = 'completed';
      return result;
    } catch (error) {
      if (error instanceof DelayedError) outcome = 'deferred';
      else if (!(error instanceof UnrecoverableError) && job.attemptsMade + 1 < (job.opts.attempts ?? 1)) outcome = 'retry';
      throw error;
    } finally {
      this.metrics.jobRun(this.queue, job.name, outcome, (performance.now() - started) / 1000);
    }
  }

  /** Hands the job to its handler; decides, and has recorded, how a failure ends. */
  private async route(job: Job, payload: unknown, token?: string): Promise<unknown> {
    const handler = this.registry.handlerFor(job.name);
    if (!handler) {
      // Only a job published by a newer or older release can get here; retrying here cannot help,
      // re-driving it later can (the relay that publishes it again may be of the release that knows it).
      const error = new UnrecoverableError(`no handler for job "${job.name}" in this worker`);
      await this.outcomes.failed(job, 'exhausted', job.attemptsMade + 1, error);
      throw error;
    }
    const ctx: JobContext = {
      jobId: job.id ?? '',
      name: job.name as JobName,
      queue: this.queue,
      attempt: job.attemptsMade + 1,
      maxAttempts: job.opts.attempts ?? 1,
    };
    const started = Date.now();
    this.logger.log({ job: ctx.name, attempt: ctx.attempt }, 'job started');
    try {
      const result = await handler.handle(payload as Parameters<typeof handler.handle>[0], ctx);
      this.logger.log({ job: ctx.name, ms: Date.now() - started }, 'job completed');
      await this.outcomes.completed(job);
      return result;
    } catch (error) {
      if (error instanceof DeferJob) {
        // Back to the queue for later, the attempt unspent (BullMQ's DelayedError tells the worker so).
        await job.moveToDelayed(Date.now() + error.delayMs, token);
        this.logger.log({ job: ctx.name, delayMs: error.delayMs, reason: error.message }, 'job deferred');
        throw new DelayedError();
      }
      const decision = asRetryDecision(error);
      if (decision instanceof UnrecoverableError) await this.outcomes.failed(job, 'refused', ctx.attempt, decision);
      else if (ctx.attempt >= ctx.maxAttempts) await this.outcomes.failed(job, 'exhausted', ctx.attempt, decision);
      throw decision;
    }
  }
}

/** The job's payload as its handler takes it, and the request id the relay put beside its fields. */
function originOf(data: unknown): { payload: unknown; reqId?: string } {
  if (typeof data !== 'object' || data === null || !(JOB_REQUEST_ID_KEY in data)) return { payload: data };
  const { [JOB_REQUEST_ID_KEY]: reqId, ...payload } = data as Record<string, unknown>;
  return typeof reqId === 'string' ? { payload, reqId } : { payload };
}

/** The number a job is about, when its payload names one (most do: `{ numberId }`). */
function numberIdOf(data: unknown): string | undefined {
  const numberId = (data as { numberId?: unknown } | null)?.numberId;
  return typeof numberId === 'string' ? numberId : undefined;
}

/**
 * An error that says it cannot succeed on a retry (`retryable: false`, as `ProviderError` does
 * for a provider's 4xx) fails the job at once, its message stored as the job's failed reason;
 * every other error is retried with the job's backoff.
 */
function asRetryDecision(error: unknown): unknown {
  if (error instanceof Error && (error as { retryable?: unknown }).retryable === false) {
    return new UnrecoverableError(error.message);
  }
  return error;
}
