import { startProcess, type ProcessExit, type StartedProcess, type StartProcessOptions } from './start-process';

export interface SuperviseOptions {
  /** The first wait before a restart; doubled after each quick death, up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** A process that stayed up this long is healthy again: its next restart waits backoffMs. */
  healthyAfterMs?: number;
  /** Told of every unexpected exit and of the wait before the restart. */
  onRestart?: (exit: ProcessExit, inMs: number) => void;
}

export interface SupervisedProcess {
  readonly name: string;
  /** How many times it was started again after dying. */
  readonly restarts: number;
  /** The process running now (the last one started). */
  current(): StartedProcess;
  /** Stops it for good: no restart follows. */
  stop(): Promise<void>;
}

/**
 * Starts a process and starts it again whenever it dies, as a process supervisor would
 * (`restart: unless-stopped`): after a wait that doubles while it keeps dying quickly, so a
 * process that cannot boot does not spin. `stop()` ends it and the supervision.
 */
export async function superviseProcess(options: StartProcessOptions, supervision: SuperviseOptions = {}): Promise<SupervisedProcess> {
  const { backoffMs = 1_000, maxBackoffMs = 30_000, healthyAfterMs = 60_000, onRestart } = supervision;
  let current = await startProcess(options);
  let restarts = 0;
  let wait = backoffMs;
  let stopped = false;
  let pending: ReturnType<typeof setTimeout> | undefined;

  const watch = (child: StartedProcess, startedAt: number): void => {
    void child.exited.then((exit) => {
      if (stopped || child !== current) return;
      if (Date.now() - startedAt >= healthyAfterMs) wait = backoffMs;
      const inMs = wait;
      wait = Math.min(wait * 2, maxBackoffMs);
      onRestart?.(exit, inMs);
      pending = setTimeout(() => void restart(), inMs);
    });
  };
  const restart = async (): Promise<void> => {
    if (stopped) return;
    try {
      current = await startProcess(options);
      restarts++;
      watch(current, Date.now());
    } catch {
      // It died before it was ready: that is one more quick death.
      const inMs = wait;
      wait = Math.min(wait * 2, maxBackoffMs);
      onRestart?.({ code: null, signal: null }, inMs);
      if (!stopped) pending = setTimeout(() => void restart(), inMs);
    }
  };
  watch(current, Date.now());

  return {
    name: options.name,
    get restarts() {
      return restarts;
    },
    current: () => current,
    async stop() {
      stopped = true;
      clearTimeout(pending);
      await current.stop();
    },
  };
}
