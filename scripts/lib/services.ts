import { spawnSync } from 'node:child_process';
import Redis from 'ioredis';
import { Client } from 'pg';
import type { AppConfig } from '@numbers/config';
import { REPO_ROOT } from './local-env';

const HOW_TO_START = {
  PostgreSQL: 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
  Redis: 'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no',
};

function adminUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.pathname = '/postgres';
  return url.toString();
}

/** Whether the PostgreSQL database at `url` takes a connection and a query within `timeoutMs`. */
export async function postgresAnswers(url: string, timeoutMs = 2000): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Whether the Redis at `url` answers PING (one still loading its AOF answers LOADING: not yet). */
export async function redisAnswers(url: string, timeoutMs = 2000): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

function redisUrls(config: AppConfig): readonly string[] {
  const target = config.redis.target;
  return target.cluster ? target.nodes : [target.url];
}

function dockerEngineRuns(): boolean {
  return spawnSync('docker', ['info'], { stdio: 'ignore' }).status === 0;
}

/**
 * PostgreSQL and Redis must answer. Where one does not and a Docker engine runs, both are
 * started with docker compose; otherwise we say which is down and how to start it.
 */
export async function ensureServices(config: AppConfig): Promise<void> {
  const check = async () => ({
    PostgreSQL: await postgresAnswers(adminUrl(config.databaseUrl)),
    // A cluster: every seed node must answer (the others are discovered from them).
    Redis: (await Promise.all(redisUrls(config).map((url) => redisAnswers(url)))).every(Boolean),
  });
  let status = await check();
  const down = () => (Object.keys(status) as Array<keyof typeof status>).filter((name) => !status[name]);
  if (down().length > 0 && dockerEngineRuns()) {
    process.stdout.write(`  ${down().join(' and ')} down: starting with docker compose\n`);
    spawnSync('docker', ['compose', 'up', '-d', '--wait', 'postgres', 'redis'], { cwd: REPO_ROOT, stdio: 'inherit' });
    status = await check();
  }
  if (down().length > 0) {
    const lines = down().map((name) => `  ${name} does not answer. Start it with:\n    ${HOW_TO_START[name]}`);
    throw new Error(`${lines.join('\n')}\n  (or run docker compose up -d postgres redis where Docker runs)`);
  }
  process.stdout.write('  PostgreSQL and Redis answer\n');
}

/** Creates the application database when it does not exist yet. */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  const client = new Client({ connectionString: adminUrl(databaseUrl) });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}
