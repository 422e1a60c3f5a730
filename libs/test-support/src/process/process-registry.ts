/**
 * The processes the current test file started. When imported at the top of a test file (any
 * import of @numbers/test-support), it adds two root hooks to that file:
 * - afterEach: if the test failed, print the last lines of every process still running;
 * - afterAll: stop whatever the file forgot to stop, so no server outlives its tests.
 */

export interface TrackedProcess {
  readonly name: string;
  readonly pid: number;
  logs(): string;
  stop(): Promise<unknown>;
}

const running = new Set<TrackedProcess>();

export function trackProcess(process: TrackedProcess): void {
  running.add(process);
}

export function untrackProcess(process: TrackedProcess): void {
  running.delete(process);
}

function currentTestFailed(): boolean {
  // jest-circus keeps its state under a symbol of the test environment's global; the running
  // test's errors are there while its afterEach hooks run. Absent (another runner): no dump.
  const symbol = Object.getOwnPropertySymbols(globalThis).find((s) => s.description === 'JEST_STATE_SYMBOL');
  const state = symbol ? (globalThis as Record<symbol, unknown>)[symbol] : undefined;
  const test = (state as { currentlyRunningTest?: { errors?: unknown[] } } | undefined)?.currentlyRunningTest;
  return (test?.errors?.length ?? 0) > 0;
}

function registerJestHooks(): void {
  if (typeof afterEach !== 'function' || typeof afterAll !== 'function') return;
  try {
    afterEach(() => {
      if (running.size === 0 || !currentTestFailed()) return;
      for (const process of running) {
        console.error(`Last output of ${process.name} (pid ${process.pid}) when the test failed:\n${process.logs()}`);
      }
    });
    afterAll(async () => {
      await Promise.all([...running].map((process) => process.stop()));
    });
  } catch {
    // Imported from inside a test or hook, where jest accepts no new hooks: nothing to add.
  }
}

registerJestHooks();
