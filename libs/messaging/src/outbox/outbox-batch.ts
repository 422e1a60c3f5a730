import {
  EVENT_NAMES,
  JOB_REQUEST_ID_KEY,
  JOB_RETENTION,
  JOBS,
  jobIdFor,
  publishOptions,
  type EventName,
  type JobName,
  type QueueName,
} from '@numbers/contracts';
import type { UnpublishedOutboxRow } from '@numbers/persistence';
import type { JobsOptions } from 'bullmq';

/** An unpublished outbox row, as the relay reads it. */
export type OutboxRow = UnpublishedOutboxRow;

export interface BulkJob {
  name: JobName;
  data: unknown;
  opts: JobsOptions;
}

/** What one batch of rows becomes: jobs per queue, events, and rows this release cannot read. */
export interface PlannedBatch {
  jobsByQueue: Map<QueueName, BulkJob[]>;
  events: { id: bigint; name: EventName; payload: unknown }[];
  publishable: bigint[];
  /** Rows naming a job or event this release does not know (written by a newer release during
   *  a rolling deploy): left unpublished for a relay that knows them, with the reason stored. */
  unknown: { id: bigint; reason: string }[];
}

/**
 * Pure: turns outbox rows into BullMQ bulk jobs (deterministic `jobId`, the job's retry policy
 * from the registry with `providerCallAttempts`, retention, the trace the row was written in, the
 * request it descends from in the job's data) and events.
 */
export function planBatch(rows: OutboxRow[], providerCallAttempts: number): PlannedBatch {
  const plan: PlannedBatch = { jobsByQueue: new Map(), events: [], publishable: [], unknown: [] };
  for (const row of rows) {
    if (row.kind === 'job') {
      if (!(row.name in JOBS)) {
        plan.unknown.push({ id: row.id, reason: `unknown job "${row.name}"` });
        continue;
      }
      const name = row.name as JobName;
      const { queue } = JOBS[name];
      const jobs = plan.jobsByQueue.get(queue) ?? [];
      jobs.push({ name, data: dataOf(row), opts: { ...publishOptions(name, providerCallAttempts), ...JOB_RETENTION, jobId: jobIdFor(name, row.id), ...traceOf(row) } });
      plan.jobsByQueue.set(queue, jobs);
    } else {
      if (!(EVENT_NAMES as string[]).includes(row.name)) {
        plan.unknown.push({ id: row.id, reason: `unknown event "${row.name}"` });
        continue;
      }
      plan.events.push({ id: row.id, name: row.name as EventName, payload: row.payload });
    }
    plan.publishable.push(row.id);
  }
  return plan;
}

/**
 * The row's trace context as BullMQ's telemetry metadata (bullmq-otel's carrier: the propagation
 * fields as JSON): the worker's span of the job is a child of the span that wrote the row, not of
 * the relay's batch.
 */
function traceOf(row: OutboxRow): Pick<JobsOptions, 'telemetry'> {
  return row.traceparent ? { telemetry: { metadata: JSON.stringify({ traceparent: row.traceparent }) } } : {};
}

/**
 * The job's data: the row's payload, with the request id the row descends from beside its fields
 * (`JOB_REQUEST_ID_KEY`), which the job router puts in the log context and takes out again.
 */
function dataOf(row: OutboxRow): unknown {
  if (!row.requestId || typeof row.payload !== 'object' || row.payload === null || Array.isArray(row.payload)) return row.payload;
  return { ...row.payload, [JOB_REQUEST_ID_KEY]: row.requestId };
}
