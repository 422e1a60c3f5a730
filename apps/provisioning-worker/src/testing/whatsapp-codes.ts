import type { JobPayloads } from '@numbers/contracts';
import type { Database } from '@numbers/persistence';
import type { VerifyWhatsAppCodeHandler } from '../provisioning/verify-whatsapp-code.handler';

/**
 * Runs the `verify-whatsapp-code` jobs the outbox holds and nothing published yet, in order, as
 * the worker would: marks them published, then hands each to the handler. A run that throws
 * leaves the rest unrun.
 */
export async function runQueuedCodeVerifications(db: Database, handler: VerifyWhatsAppCodeHandler, attempt = 1): Promise<unknown[]> {
  const rows = await db
    .updateTable('outbox')
    .set({ publishedAt: new Date() })
    .where('name', '=', 'verify-whatsapp-code')
    .where('publishedAt', 'is', null)
    .returning(['id', 'payload'])
    .execute();
  rows.sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
  const results: unknown[] = [];
  for (const row of rows) {
    const payload = row.payload as JobPayloads['verify-whatsapp-code'];
    results.push(await handler.handle(payload, { jobId: `verify-whatsapp-code.${row.id}`, name: 'verify-whatsapp-code', queue: 'provisioning', attempt, maxAttempts: 10 }));
  }
  return results;
}
