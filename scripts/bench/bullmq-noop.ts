import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { measureBareRate, THIS_PROCESS, type BareRate } from './bare-rate';
import { flushBenchPrefix } from './bench-store';
import { pidsWhoseCommandHas } from './process-cpu';

const NOOP_PREFIX = '{numbers-bench-noop}';

/**
 * BullMQ's rate for jobs that do nothing, on the given Redis: `jobs` added with addBulk, until
 * all completed by one worker (in this process) with `concurrency` jobs at a time. The floor
 * under every job of the system: no work, no database. Its CPU is this process's and Redis's
 * (the whole server's: another user of the same Redis counts too).
 */
export async function noopJobs(redisUrl: string, concurrency: number, jobs: number): Promise<BareRate> {
  await flushBenchPrefix(redisUrl, NOOP_PREFIX);
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const workerConnection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('noop', { connection, prefix: NOOP_PREFIX });
  const worker = new Worker('noop', async () => undefined, { connection: workerConnection, prefix: NOOP_PREFIX, concurrency });
  try {
    await worker.waitUntilReady();
    let completed = 0;
    const done = new Promise<void>((resolve) => {
      worker.on('completed', () => {
        completed += 1;
        if (completed === jobs) resolve();
      });
    });
    const options = { removeOnComplete: { age: 3600, count: 10_000 } };
    return await measureBareRate(jobs, [THIS_PROCESS, { name: 'redis', pids: () => pidsWhoseCommandHas('redis-server') }], async () => {
      for (let i = 0; i < jobs; i += 1000) {
        await queue.addBulk(Array.from({ length: Math.min(1000, jobs - i) }, (_, j) => ({ name: 'noop', data: { i: i + j }, opts: options })));
      }
      await done;
    });
  } finally {
    await worker.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    connection.disconnect();
    workerConnection.disconnect();
    await flushBenchPrefix(redisUrl, NOOP_PREFIX);
  }
}

/** `noopJobs`' rate per second of wall time. */
export async function noopJobsPerSecond(redisUrl: string, concurrency: number, jobs: number): Promise<number> {
  return (await noopJobs(redisUrl, concurrency, jobs)).perSecond;
}
