import type { Type } from '@nestjs/common';
import { JOBS, QUEUE_OWNER, type WorkerApp } from '@numbers/contracts';
import { PruneRecordsHandler } from './prune-records.handler';
import { RecoverLostJobsHandler } from './recover-lost-jobs.handler';
import { RedriveFailedJobsHandler } from './redrive-failed-jobs.handler';

/** The jobs `libs/messaging` handles itself (its own bookkeeping), in the worker that owns their queue. */
export const RECOVERY_HANDLERS = {
  'redrive-failed-jobs': RedriveFailedJobsHandler,
  'recover-lost-jobs': RecoverLostJobsHandler,
  'prune-records': PruneRecordsHandler,
} as const;
export type RecoveryJobName = keyof typeof RECOVERY_HANDLERS;
export const RECOVERY_JOB_NAMES = Object.keys(RECOVERY_HANDLERS) as RecoveryJobName[];

export function recoveryHandlersOf(app: WorkerApp): Type[] {
  return RECOVERY_JOB_NAMES.filter((name) => QUEUE_OWNER[JOBS[name].queue] === app).map((name) => RECOVERY_HANDLERS[name]);
}

export { JobOutcomes } from './job-outcomes';
export { RecoverLostJobsHandler, type LostJobsReport } from './recover-lost-jobs.handler';
export { RedriveFailedJobsHandler } from './redrive-failed-jobs.handler';
export { PruneRecordsHandler } from './prune-records.handler';
