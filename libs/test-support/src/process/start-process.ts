import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pollUntilOk } from './http-ready';
import { LogRingBuffer, OutputStream } from './log-ring-buffer';
import { trackProcess, untrackProcess } from './process-registry';
import { fromWorkspaceRoot, workspaceRoot } from '../workspace-root';

export interface StartProcessOptions {
  /** Shown in logs and errors: 'api-gateway'. */
  name: string;
  /** A built entry point, absolute or workspace-relative: 'dist/apps/api-gateway/main.js'. */
  script: string;
  /** The whole environment of the process (see testEnv); only PATH, HOME and the like are added. */
  env: Record<string, string>;
  args?: string[];
  /** Options for node itself, before the script: `['--cpu-prof', '--cpu-prof-dir=/tmp/prof']`. */
  nodeArgs?: string[];
  /** Ready when a GET on it answers 2xx. */
  readyUrl?: string;
  /** Ready when a line of output contains it (string) or matches it (RegExp). */
  readyLogLine?: string | RegExp;
  /** Default 30 s. */
  readyTimeoutMs?: number;
  /** Lines kept for logs(); default 200. */
  logLines?: number;
  /** How long stop() waits after SIGTERM before SIGKILL; default 5 s. */
  stopGraceMs?: number;
  /** Also append all output to this file (the start script keeps a log per process). */
  logFile?: string;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StartedProcess {
  readonly name: string;
  readonly pid: number;
  /** Resolves when the process has exited and its output is read. */
  readonly exited: Promise<ProcessExit>;
  /** Sends a signal (default SIGTERM); the exit that follows is expected, not reported. */
  kill(signal?: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after 5 s (stopGraceMs); resolves with the exit. Safe to call twice. */
  stop(): Promise<ProcessExit>;
  /** The last lines of output, `out | ...` / `err | ...`. */
  logs(): string;
}

export class ProcessStartError extends Error {}

const INHERITED_ENV = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'];
const WATCHDOG = path.join(__dirname, 'parent-watchdog.js');
const WATCHDOG_PARENT_PID = 'NUMBERS_TEST_WATCHDOG_PARENT_PID';

/**
 * Starts `node <script>` with exactly the given environment and waits until it is ready
 * (readyUrl answers 2xx, or readyLogLine is printed; with neither, as soon as it has spawned).
 * If it exits first or is not ready in time, rejects with its last lines of output.
 */
export async function startProcess(options: StartProcessOptions): Promise<StartedProcess> {
  const { name, readyUrl, readyLogLine, readyTimeoutMs = 30_000, stopGraceMs = 5000 } = options;
  const script = fromWorkspaceRoot(options.script);
  if (!fs.existsSync(script)) {
    throw new ProcessStartError(`${name}: ${script} does not exist; build it first (ensureBuilt).`);
  }
  const buffer = new LogRingBuffer(options.logLines ?? 200);
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--require', WATCHDOG, script, ...(options.args ?? [])], {
    cwd: workspaceRoot,
    env: { ...inheritedEnv(), ...options.env, [WATCHDOG_PARENT_PID]: String(process.pid) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let ready = false;
  let exitExpected = false;
  let exit: ProcessExit | undefined;
  const lineListeners = new Set<(line: string) => void>();
  const onOutput = (stream: OutputStream) => (chunk: Buffer) => {
    for (const line of buffer.write(stream, chunk.toString())) lineListeners.forEach((listener) => listener(line));
  };
  child.stdout.on('data', onOutput('out'));
  child.stderr.on('data', onOutput('err'));
  if (options.logFile) {
    const file = fs.createWriteStream(options.logFile, { flags: 'a' });
    child.stdout.pipe(file, { end: false });
    child.stderr.pipe(file, { end: false });
    child.once('close', () => file.end());
  }
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('error', (error) => {
      buffer.write('err', `failed to start: ${error.message}\n`);
      exit = { code: null, signal: null };
      resolve(exit);
    });
    child.once('close', (code, signal) => {
      buffer.flush();
      exit = { code, signal };
      resolve(exit);
    });
  });

  const handle: StartedProcess = {
    name,
    pid: child.pid ?? -1,
    exited,
    kill(signal = 'SIGTERM') {
      exitExpected = true;
      if (!exit) child.kill(signal);
    },
    async stop() {
      exitExpected = true;
      if (exit) return exit;
      child.kill('SIGTERM');
      const forceKill = setTimeout(() => child.kill('SIGKILL'), stopGraceMs);
      const result = await exited;
      clearTimeout(forceKill);
      return result;
    },
    logs: () => buffer.text(),
  };
  trackProcess(handle);
  void exited.then((result) => {
    untrackProcess(handle);
    if (!exitExpected && ready) {
      console.error(`${name} (pid ${handle.pid}) exited unexpectedly (${describeExit(result)}). Last output:\n${buffer.text()}`);
    }
  });

  try {
    await waitUntilReady();
    ready = true;
    return handle;
  } catch (error) {
    await handle.stop();
    throw error;
  }

  function waitUntilReady(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (error?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        lineListeners.clear();
        if (error) reject(error);
        else resolve();
      };
      const waitingFor = readyUrl ? `GET ${readyUrl} to answer 2xx` : readyLogLine ? `a line matching ${readyLogLine}` : 'spawn';
      const timer = setTimeout(() => {
        settle(failure(`was not ready after ${readyTimeoutMs} ms (waiting for ${waitingFor})`));
      }, readyTimeoutMs);
      void exited.then((result) => settle(failure(`exited (${describeExit(result)}) before it was ready`)));
      if (readyLogLine !== undefined) {
        const matches = (line: string) =>
          typeof readyLogLine === 'string' ? line.includes(readyLogLine) : readyLogLine.test(line);
        lineListeners.add((line) => matches(line) && settle());
      }
      if (readyUrl) {
        void pollUntilOk(readyUrl, () => settled).then((ok) => ok && settle());
      }
      if (!readyUrl && readyLogLine === undefined) child.once('spawn', () => settle());
    });
  }

  function failure(what: string): ProcessStartError {
    return new ProcessStartError(`${name} (${path.relative(workspaceRoot, script)}) ${what}. Last output:\n${buffer.text() || '(none)'}`);
  }
}

function describeExit({ code, signal }: ProcessExit): string {
  return signal ? `signal ${signal}` : `code ${code}`;
}

function inheritedEnv(): Record<string, string> {
  return Object.fromEntries(
    INHERITED_ENV.flatMap((key) => (process.env[key] === undefined ? [] : [[key, process.env[key] as string]])),
  );
}
