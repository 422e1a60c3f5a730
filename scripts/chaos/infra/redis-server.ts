import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, freePort } from '@numbers/test-support';
import { redisAnswers } from '../../lib/services';

/** A Redis server of the chaos run's own, persisting to an append-only file, as docker-compose.yml runs it. */
export interface RedisServer {
  readonly url: string;
  /** SIGKILL: what was not yet fsynced (up to a second, `appendfsync everysec`) is lost. */
  kill9(): Promise<void>;
  /** Starts it again; it loads its AOF. */
  start(): Promise<void>;
  destroy(): Promise<void>;
}

export async function startRedisServer(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'numbers-chaos-redis-'));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let server: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction'];
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    server = child;
    // Whatever way this process ends, the server does not outlive it.
    const orphanGuard = () => child.kill('SIGKILL');
    process.once('exit', orphanGuard);
    exited = new Promise((resolve) =>
      child.once('exit', () => {
        process.removeListener('exit', orphanGuard);
        resolve();
      }),
    );
    await eventually('Redis answering', () => redisAnswers(url), 30_000);
  };
  const kill9 = async () => {
    server?.kill('SIGKILL');
    await exited;
    server = undefined;
  };
  await start();
  return {
    url,
    start,
    kill9,
    async destroy() {
      await kill9();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
