import type { DeleteResult } from 'kysely';

/**
 * Runs `deleteBatch` (a DELETE of at most `batch` rows) until a run deletes fewer: many short
 * statements instead of one giant DELETE, so no long lock, no burst of dead rows, and a statement
 * timeout never undoes the whole cleanup. Returns the rows deleted in all.
 */
export async function deleteInBatches(batch: number, deleteBatch: () => Promise<DeleteResult>): Promise<number> {
  let deleted = 0;
  for (;;) {
    const removed = Number((await deleteBatch()).numDeletedRows);
    deleted += removed;
    if (removed < batch) return deleted;
  }
}
