import { JOBS, QUEUE_OWNER, QUEUES, jobsOfQueue, type JobName, type QueueName, type WorkerApp } from '@numbers/contracts';

export interface DiscoveredHandler {
  job: string;
  className: string;
}

export interface DiscoveredProcessor {
  queue: string;
  className: string;
}

/** The queues a worker app consumes, from `QUEUE_OWNER` in @numbers/contracts. */
export function queuesOwnedBy(app: WorkerApp): QueueName[] {
  return QUEUES.filter((queue) => QUEUE_OWNER[queue] === app);
}

/**
 * Everything wrong with a worker app's wiring, one sentence each, naming the job or queue:
 * every queue the app owns has exactly one processor; every job of those queues has exactly one
 * handler; nothing handles a job or processes a queue that another app owns or that does not
 * exist. Empty means the app may boot.
 */
export function wiringProblems(
  app: WorkerApp,
  handlers: DiscoveredHandler[],
  processors: DiscoveredProcessor[],
): string[] {
  const problems: string[] = [];
  const owned = queuesOwnedBy(app);

  for (const queue of owned) {
    const found = processors.filter((p) => p.queue === queue);
    if (found.length === 0) problems.push(`queue "${queue}" has no processor (@QueueProcessor('${queue}'))`);
    if (found.length > 1) problems.push(`queue "${queue}" has ${found.length} processors: ${names(found)}`);
    for (const job of jobsOfQueue(queue)) {
      const mine = handlers.filter((h) => h.job === job);
      if (mine.length === 0) problems.push(`job "${job}" (queue ${queue}) has no handler (@JobHandler('${job}'))`);
      if (mine.length > 1) problems.push(`job "${job}" (queue ${queue}) has ${mine.length} handlers: ${names(mine)}`);
    }
  }
  for (const p of processors) {
    if (!(QUEUES as readonly string[]).includes(p.queue)) {
      problems.push(`${p.className} processes unknown queue "${p.queue}"`);
    } else if (!owned.includes(p.queue as QueueName)) {
      problems.push(`${p.className} processes queue "${p.queue}", which ${QUEUE_OWNER[p.queue as QueueName]} owns`);
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
