import type { JobName, JobPayloads } from '@numbers/contracts';
import type { HandlesJob } from '@numbers/messaging';
import type { Database } from '@numbers/persistence';

/**
 * Runs the `name` jobs the outbox holds and nothing published yet, in order, as the worker
 * would: marks them published, then hands each to the handler and returns what each returned.
 * A run that throws leaves the rest unrun.
 */
export async function runQueuedJobs<K extends JobName>(db: Database, name: K, handler: HandlesJob<K>, attempt = 1): Promise<unknown[]> {
  const rows = await db.updateTable('outbox').set({ publishedAt: new Date() }).where('name', '=', name).where('publishedAt', 'is', null).returning(['id', 'payload']).execute();
  rows.sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
  const results: unknown[] = [];
  for (const row of rows) {
    const ctx = { jobId: `${name}.${row.id}`, name, queue: 'provisioning' as const, attempt, maxAttempts: 10 };
    results.push(await handler.handle(row.payload as JobPayloads[K], ctx));
  }
  return results;
}
