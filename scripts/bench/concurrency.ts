import { setTimeout as sleep } from 'node:timers/promises';

/** Runs tasks with at most `concurrency` of them in flight; the rest wait their turn. */
export function limiter(concurrency: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    active += 1;
    try {
      return await task();
    } finally {
      active -= 1;
      waiting.shift()?.();
    }
  };
}

/**
 * Spreads starts evenly over `spanMs`: the k-th call of the returned function resolves k x
 * spanMs / total after the first (at once when it is already late).
 */
export function pacer(total: number, spanMs: number): () => Promise<void> {
  let first: number | undefined;
  let k = 0;
  return async () => {
    first ??= Date.now();
    const wait = first + (k++ * spanMs) / Math.max(1, total) - Date.now();
    if (wait > 0) await sleep(wait);
  };
}

/** The p-th percentile (nearest rank) of ascending `sorted`; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
