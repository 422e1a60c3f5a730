import path from 'node:path';
import { freePort } from '../free-port';
import { ProcessStartError, startProcess, StartedProcess } from './start-process';

const fixture = (name: string) => path.join(__dirname, 'fixtures', `${name}.fixture.js`);

async function getJson(url: string): Promise<Record<string, string>> {
  const response = await fetch(url);
  return (await response.json()) as Record<string, string>;
}

describe('startProcess', () => {
  const started: StartedProcess[] = [];
  afterAll(() => Promise.all(started.map((p) => p.stop())));

  it('reports an early exit with the exit code and the last lines of output', async () => {
    const attempt = startProcess({
      name: 'quitter',
      script: fixture('exits-early'),
      env: { LINES: '300' },
      readyLogLine: 'never printed',
      logLines: 50,
    });
    await expect(attempt).rejects.toThrow(ProcessStartError);
    const message = await attempt.catch((error: Error) => error.message);
    expect(message).toContain('quitter');
    expect(message).toContain('exited (code 3) before it was ready');
    expect(message).toContain('err | giving up: DATABASE_URL is required');
    expect(message).toContain('out | line 300');
    expect(message).toContain('out | line 260');
    expect(message).not.toContain('out | line 100\n');
  });

  it('waits for the ready URL and passes exactly the given environment', async () => {
    const port = await freePort();
    const server = await startProcess({
      name: 'server',
      script: fixture('http-server'),
      env: { PORT: String(port), READY_AFTER_MS: '300', FEATURE: 'on' },
      readyUrl: `http://127.0.0.1:${port}/health`,
    });
    started.push(server);

    const env = await getJson(`http://127.0.0.1:${port}/env`);
    expect(env.FEATURE).toBe('on');
    expect(Object.keys(env).filter((key) => key.startsWith('NUMBERS_TEST_') || key === 'JEST_WORKER_ID')).toEqual([]);
    expect(server.logs()).toContain(`out | listening on ${port}`);

    await expect(server.stop()).resolves.toEqual({ code: null, signal: 'SIGTERM' });
  });

  it('waits for a log line', async () => {
    const port = await freePort();
    const server = await startProcess({
      name: 'server',
      script: fixture('http-server'),
      env: { PORT: String(port) },
      readyLogLine: /listening on \d+/,
    });
    started.push(server);
    await expect(fetch(`http://127.0.0.1:${port}/health`)).resolves.toHaveProperty('status', 200);
    await server.stop();
  });

  it('gives up after the ready timeout and stops the process', async () => {
    const attempt = startProcess({
      name: 'sleeper',
      script: fixture('never-ready'),
      env: {},
      readyLogLine: 'ready',
      readyTimeoutMs: 500,
    });
    await expect(attempt).rejects.toThrow(/sleeper .* was not ready after 500 ms \(waiting for a line matching ready\)[^]*out \| starting up/);
  });

  it('kills a process that ignores SIGTERM once the grace period is over', async () => {
    const port = await freePort();
    const stubborn = await startProcess({
      name: 'stubborn',
      script: fixture('http-server'),
      env: { PORT: String(port), IGNORE_SIGTERM: '1' },
      readyLogLine: 'listening',
      stopGraceMs: 300,
    });
    started.push(stubborn);
    await expect(stubborn.stop()).resolves.toEqual({ code: null, signal: 'SIGKILL' });
    expect(stubborn.logs()).toContain('ignoring SIGTERM');
  });

  it('refuses a script that has not been built', async () => {
    await expect(
      startProcess({ name: 'api-gateway', script: 'dist/apps/no-such-app/main.js', env: {} }),
    ).rejects.toThrow(/no-such-app\/main.js does not exist; build it first/);
  });
});
