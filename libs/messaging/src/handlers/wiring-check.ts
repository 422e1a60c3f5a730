import { JOBS, QUEUE_OWNER, QUEUES, WEBHOOK_JOB_NAMES, jobsOfQueue, type JobName, type QueueName, type WorkerApp } from '@numbers/contracts';

export interface DiscoveredHandler {
  job: string;
  className: string;
}

/** The queues a worker app consumes, from `QUEUE_OWNER` in @numbers/contracts. */
export function queuesOwnedBy(app: WorkerApp): QueueName[] {
  return QUEUES.filter((queue) => QUEUE_OWNER[queue] === app);
}

/**
 * Everything wrong with a worker app's wiring, one sentence each, naming the job: every job of
 * the queues the app owns has exactly one handler; nothing handles a job that another app owns
 * or that does not exist. Empty means the app may boot. (Each owned queue's router is built by
 * `WorkerRunner`, so there is no processor to check.)
 */
export function wiringProblems(app: WorkerApp, handlers: DiscoveredHandler[]): string[] {
  const problems: string[] = [];
  const owned = queuesOwnedBy(app);

  for (const queue of owned) {
    for (const job of jobsOfQueue(queue)) {
      const mine = handlers.filter((h) => h.job === job);
      if (mine.length === 0) problems.push(`job "${job}" (queue ${queue}) has no handler (${missingHandlerHint(app, job)})`);
      if (mine.length > 1) problems.push(`job "${job}" (queue ${queue}) has ${mine.length} handlers: ${names(mine)}`);
    }
  }
  for (const h of handlers) {
    if (!(h.job in JOBS)) {
      problems.push(`${h.className} handles unknown job "${h.job}"`);
    } else if (!owned.includes(JOBS[h.job as JobName].queue)) {
      const queue = JOBS[h.job as JobName].queue;
      problems.push(`${h.className} handles job "${h.job}" of queue ${queue}, which ${QUEUE_OWNER[queue]} owns`);
    }
  }
  return problems;
}

/** Where the missing handler comes from: messaging's own for webhook jobs, the app's otherwise. */
function missingHandlerHint(app: WorkerApp, job: JobName): string {
  return (WEBHOOK_JOB_NAMES as readonly string[]).includes(job) ? `import WebhookEventsModule.forWorker('${app}')` : `@JobHandler('${job}')`;
}

function names(items: { className: string }[]): string {
  return items.map((i) => i.className).join(', ');
}

/** A worker app whose handlers do not match the job registry: it must not start. */
export class WorkerWiringError extends Error {
  constructor(
    readonly app: WorkerApp,
    readonly problems: string[],
  ) {
    super(`${app} refuses to boot:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'WorkerWiringError';
  }
}
