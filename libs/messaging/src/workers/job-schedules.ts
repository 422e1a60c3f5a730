import {
  JOB_RETENTION,
  JOBS,
  SCHEDULES,
  scheduledJobsOfQueue,
  type QueueName,
  type ScheduledJobName,
  type ScheduledRunPayload,
  type WorkerApp,
} from '@numbers/contracts';
import type { JobSchedulerTemplateOptions } from 'bullmq';
import { queuesOwnedBy } from '../handlers/wiring-check';

/** One BullMQ job scheduler a worker app keeps (`Queue.upsertJobScheduler`). */
export interface PlannedSchedule {
  /** The scheduler's fixed id, the job name: one scheduler per job in the cluster, however many replicas upsert it. */
  id: ScheduledJobName;
  queue: QueueName;
  /** Milliseconds between runs. */
  every: number;
  template: { name: ScheduledJobName; data: ScheduledRunPayload; opts: JobSchedulerTemplateOptions };
}

/** Milliseconds between runs of each scheduled job (`AppConfig.schedules`). */
export type ScheduleIntervals = Readonly<Record<ScheduledJobName, number>>;

/**
 * The job schedulers a worker app keeps: one per scheduled job (`SCHEDULES` in
 * @numbers/contracts) of the queues it owns, every `intervals[job]` ms, each run a job of that
 * name with the job's options (`JOBS`) and the retention every job has.
 */
export function schedulesOf(app: WorkerApp, intervals: ScheduleIntervals): PlannedSchedule[] {
  return queuesOwnedBy(app).flatMap((queue) =>
    scheduledJobsOfQueue(queue).map((name) => ({
      id: name,
      queue,
      every: intervals[name],
      template: { name, data: SCHEDULES[name].data, opts: { ...JOBS[name].options, ...JOB_RETENTION } },
    })),
  );
}
