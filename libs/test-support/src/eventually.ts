/**
 * Polls `probe` until it returns a truthy value, and returns it; throws naming `what` after
 * `timeoutMs`. The output of any process a test started is printed by the process registry
 * when the test fails, so the error says only what was awaited.
 */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 60_000,
  everyMs = 100,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
