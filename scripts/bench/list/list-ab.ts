import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, parseEnv } from 'node:util';
import { AppConfig } from '@numbers/config';
import { generateApiKey, newId } from '@numbers/domain';
import { Database } from '@numbers/persistence';
import { ensureBuilt, freePort, startProcess, type StartedProcess } from '@numbers/test-support';
import { localEnv, REPO_ROOT } from '../../lib/local-env';
import { resetBenchDatabase } from '../bench-database';
import { measure } from '../load';
import { createAccountsSql, createNumbersSql, createProfilesSql, createTargetNumbersSql } from './seed-numbers.sql';

const ACCOUNT_ID = '1'.padStart(24, '0');
const PROFILE_ID = `${'1'.padStart(23, '0')}f`;
const GATEWAY = 'dist/apps/api-gateway/main.js';

interface Side {
  label: string;
  root: string;
  process: StartedProcess;
  port: number;
  key: string;
  cpuMs: number[];
  requestsPerSecond: number[];
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/**
 * One gateway's own database: migrated by its own checkout's migrations, then the same seed (the
 * seeded columns exist in every schema since the list was first measured).
 */
async function seededDatabase(root: string, name: string, rows: number): Promise<{ url: string; key: string }> {
  const admin = new URL(localEnv()['DATABASE_URL']);
  admin.pathname = '/postgres';
  const url = await resetBenchDatabase(admin.toString(), name, root);
  const db = new Database(AppConfig.fromEnv({ ...localEnv(), DATABASE_URL: url, DATABASE_NAMED_STATEMENTS: 'false' }));
  try {
    await createAccountsSql(1, 20).execute(db);
    await createProfilesSql(1, 20).execute(db);
    await createTargetNumbersSql(ACCOUNT_ID, 500, PROFILE_ID).execute(db);
    await createNumbersSql(rows - 500, 2, 20, 0).execute(db);
    const key = generateApiKey();
    await db.insertInto('apiKeys').values({ id: newId(), accountId: ACCOUNT_ID, prefix: key.prefix, keyHash: key.hash }).execute();
    return { url, key: key.key };
  } finally {
    await db.destroy();
  }
}

async function startGateway(label: string, root: string, databaseUrl: string, key: string, pool: string, nodeArgs: string[], logDir?: string): Promise<Side> {
  const port = await freePort();
  const env = parseEnv(readFileSync(join(root, 'env', 'local.env'), 'utf8')) as Record<string, string>;
  const started = await startProcess({
    name: `api-gateway (${label})`,
    script: join(root, GATEWAY),
    nodeArgs,
    logFile: logDir && join(logDir, `gateway-${label}.log`),
    env: {
      ...env,
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: pool,
      REDIS_PREFIX: `{numbers-bench-${label}}`,
      GATEWAY_PORT: String(port),
      RATE_LIMIT_PER_MINUTE: '1000000000',
      LOG_LEVEL: 'warn',
    },
    readyUrl: `http://127.0.0.1:${port}/health`,
  });
  return { label, root, process: started, port, key, cpuMs: [], requestsPerSecond: [] };
}

/**
 * `npm run bench -- list-ab --before <checkout>`: the list request through two gateways, this
 * checkout's and another's (an earlier commit with its own `npm ci` and build), each on its own
 * copy of the benchmark database, measured in alternating slices so both see the same load from
 * the rest of the machine. Prints CPU per request of each and their ratio.
 * `--cpu-prof DIR` profiles both; `--node-arg --trace-gc --log-dir DIR` (say) shows their
 * garbage collection, each gateway's output in DIR.
 */
export async function runListAbBenchmark(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      before: { type: 'string' },
      slices: { type: 'string', default: '8' },
      seconds: { type: 'string', default: '4' },
      connections: { type: 'string', default: '8' },
      rows: { type: 'string', default: '10000' },
      pool: { type: 'string', default: '10' },
      'cpu-prof': { type: 'string' },
      'node-arg': { type: 'string', multiple: true, default: [] },
      'log-dir': { type: 'string' },
    },
  });
  const before = values.before;
  if (!before || !existsSync(join(before, GATEWAY))) {
    throw new Error(`--before must name a checkout whose gateway is built (${GATEWAY}): git worktree add, npm ci, npx nx build api-gateway`);
  }
  const [slices, durationSeconds, connections, rows] = [values.slices, values.seconds, values.connections, values.rows].map(Number);
  process.stdout.write('building this gateway and preparing two benchmark databases...\n');
  await ensureBuilt(['api-gateway']);
  const [beforeDb, afterDb] = [await seededDatabase(before, 'numbers_bench_before', rows), await seededDatabase(REPO_ROOT, 'numbers_bench_after', rows)];
  const sides: Side[] = [];
  try {
    // Each gateway writes a V8 CPU profile there when it stops (file names carry the pids printed).
    const nodeArgs = [...(values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : []), ...values['node-arg']];
    sides.push(await startGateway('before', before, beforeDb.url, beforeDb.key, values.pool, nodeArgs, values['log-dir']));
    sides.push(await startGateway('after', REPO_ROOT, afterDb.url, afterDb.key, values.pool, nodeArgs, values['log-dir']));
    if (nodeArgs.length) process.stdout.write(`profiling: before pid ${sides[0].process.pid}, after pid ${sides[1].process.pid}\n`);
    process.stdout.write(`${slices} slices of ${durationSeconds} s each, alternated, ${connections} connections, ${rows} rows, pool ${values.pool}...\n`);
    for (let slice = 0; slice < slices; slice++) {
      // Alternate who goes first, so neither always follows the other's garbage collection.
      const order = slice % 2 ? [...sides].reverse() : sides;
      for (const side of order) {
        const result = await measure({
          url: `http://127.0.0.1:${side.port}/v1/whatsapp/phone-numbers`,
          headers: { authorization: `Bearer ${side.key}` },
          connections,
          durationSeconds,
          serverPid: side.process.pid,
        });
        if (result.non2xx || result.errors) throw new Error(`${side.label}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
        side.cpuMs.push(result.cpuMsPerRequest ?? Number.NaN);
        side.requestsPerSecond.push(result.requestsPerSecond);
      }
    }
    const [b, a] = sides;
    const line = (side: Side) =>
      `${side.label.padEnd(7)} CPU ms/request median ${median(side.cpuMs).toFixed(2)}  (${side.cpuMs.map((v) => v.toFixed(2)).join(' ')})   req/s median ${median(side.requestsPerSecond).toFixed(0)}`;
    process.stdout.write(`
GET /v1/whatsapp/phone-numbers (500 numbers), before = ${before}, after = this checkout
${line(b)}
${line(a)}
after / before CPU per request: ${(median(a.cpuMs) / median(b.cpuMs)).toFixed(2)}   (goal <= 1.00)
`);
  } finally {
    await Promise.all(sides.map((side) => side.process.stop()));
  }
}
