import { ensureBuilt } from '../build/ensure-built';
import { freePort } from '../free-port';
import { startProcess } from '../process/start-process';
import { testEnv, type TestEnv, type TestEnvOverrides } from '../test-env';

/** The built provider simulator as a process of its own, and the environment that points at it. */
export interface SimulatorProcess {
  url: string;
  pid: number;
  /** The test's environment with every provider base URL moved to this simulator. */
  env: TestEnv;
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
  delete(path: string): Promise<void>;
  stop(): Promise<unknown>;
}

/** Starts the simulator on a free port (apps may not import another app's code, so not in process; the built simulator, as in production). */
/** `nodeArgs`: extra Node flags (the benchmarks' `--cpu-prof`). */
export async function startSimulatorProcess(overrides: TestEnvOverrides, nodeArgs: string[] = []): Promise<SimulatorProcess> {
  await ensureBuilt(['provider-simulator']);
  const port = await freePort();
  const env = testEnv({ LOG_LEVEL: 'warn', ...overrides, SIMULATOR_PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  const process = await startProcess({ name: 'provider-simulator', script: 'dist/apps/provider-simulator/main.js', env, nodeArgs, readyUrl: `${url}/health` });
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`simulator ${method} ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    url,
    pid: process.pid,
    env,
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
    put: (path, body) => call('PUT', path, body),
    delete: (path) => call('DELETE', path),
    stop: () => process.stop(),
  };
}

/** The parts of `GET /_sim/state` these tests read. */
export interface SimulatorState {
  stripe: { subscriptions: { id: string; quantity: number }[] };
  telnyx: { numbers: { id: string; phoneNumber: string; status: string }[] };
  meta: { numbers: { id: string; registered: boolean }[] };
  requests: Record<'stripe' | 'telnyx' | 'meta', { method: string; path: string; status: number; idempotencyKey: string | null; replayed: boolean }[]>;
}
