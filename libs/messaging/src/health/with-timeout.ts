/** How long a health check or a metric collected on scrape may wait on PostgreSQL or Redis. */
export const CHECK_TIMEOUT_MS = 2_000;

/** `work`, or an error naming `what` once it has taken CHECK_TIMEOUT_MS: a probe never hangs on a dependency. */
export function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
