import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { AppConfig } from '@numbers/config';
import { generateApiKey, newId } from '@numbers/domain';
import { Database } from '@numbers/persistence';
import { countOf, ensureBuilt, freePort, startProcess, type StartedProcess } from '@numbers/test-support';
import { localEnv } from '../../lib/local-env';
import { measure, type LoadResult } from '../load';
import { createAccountsSql, createNumbersSql, createProfilesSql, createTargetNumbersSql } from './seed-numbers.sql';
import { resetBenchDatabase } from '../bench-database';

const TARGET_ACCOUNT = 1;
const TARGET_NUMBERS = 500;

interface Stage {
  rows: number;
  gateway: LoadResult;
  bare: LoadResult;
}

function accountIdOf(n: number): string {
  return n.toString(16).padStart(24, '0');
}

/** As CREATE_PROFILES names them. */
function profileIdOf(n: number): string {
  return `${n.toString(16).padStart(23, '0')}f`;
}

async function createAccounts(db: Database, first: number, last: number): Promise<void> {
  await createAccountsSql(first, last).execute(db);
  await createProfilesSql(first, last).execute(db);
}

/** Grows phone_numbers to `rows` over `accounts` accounts (the target account keeps its 500). */
async function growTo(db: Database, rows: number, accounts: number): Promise<void> {
  const count = await countOf(db.selectFrom('phoneNumbers'));
  const missing = rows - count;
  if (missing <= 0) return;
  await createAccounts(db, TARGET_ACCOUNT + 1, accounts);
  const batch = 200_000;
  for (let done = 0; done < missing; done += batch) {
    await createNumbersSql(Math.min(batch, missing - done), TARGET_ACCOUNT + 1, accounts, count + done).execute(db);
  }
  await sql`VACUUM ANALYZE phone_numbers`.execute(db);
}

function row(label: string, r: LoadResult): string {
  const cpu = r.cpuMsPerRequest === null ? '' : `   CPU ${r.cpuMsPerRequest.toFixed(2)} ms/req`;
  return `${label.padEnd(28)} ${r.requestsPerSecond.toFixed(0).padStart(8)} req/s   p50 ${String(r.p50Ms).padStart(4)} ms   p99 ${String(r.p99Ms).padStart(4)} ms${cpu}${r.non2xx || r.errors ? `   (non-2xx ${r.non2xx}, errors ${r.errors})` : ''}`;
}

/**
 * `npm run bench -- list [--cpu-prof DIR]`: GET /v1/whatsapp/phone-numbers for a 500-number
 * account through the gateway and through a bare Fastify + pg server running the same query,
 * with the table at 10k rows and again at 1M rows over 10k accounts.
 */
export async function runListBenchmark(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      rows: { type: 'string', default: '1000000' },
      accounts: { type: 'string', default: '10000' },
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '32' },
      'cpu-prof': { type: 'string' },
    },
  });
  // The gateway and the bare server write a V8 CPU profile there when they stop (the file names
  // carry their pids, printed below; open one in Chrome DevTools).
  const nodeArgs = values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : [];
  const [bigRows, accounts, durationSeconds, connections] = [values.rows, values.accounts, values.duration, values.connections].map(Number);
  const env = localEnv();
  const admin = new URL(env['DATABASE_URL']);
  admin.pathname = '/postgres';

  process.stdout.write('building the gateway and preparing the benchmark database...\n');
  await ensureBuilt(['api-gateway']);
  const databaseUrl = await resetBenchDatabase(admin.toString(), 'numbers_bench');
  // Seeding only (unmeasured): unnamed statements, as VACUUM and one-off texts want.
  const db = new Database(AppConfig.fromEnv({ ...env, DATABASE_URL: databaseUrl, DATABASE_NAMED_STATEMENTS: 'false' }));

  const accountId = accountIdOf(TARGET_ACCOUNT);
  await createAccounts(db, TARGET_ACCOUNT, TARGET_ACCOUNT);
  await createTargetNumbersSql(accountId, TARGET_NUMBERS, profileIdOf(TARGET_ACCOUNT)).execute(db);
  const key = generateApiKey();
  await db.insertInto('apiKeys').values({ id: newId(), accountId, prefix: key.prefix, keyHash: key.hash }).execute();
  await growTo(db, 10_000, 20);

  const [gatewayPort, barePort] = [await freePort(), await freePort()];
  const processes: StartedProcess[] = [];
  try {
    const gateway = await startProcess({
      name: 'api-gateway',
      script: 'dist/apps/api-gateway/main.js',
      nodeArgs,
      env: {
        ...env,
        DATABASE_URL: databaseUrl,
        REDIS_PREFIX: '{numbers-bench}',
        GATEWAY_PORT: String(gatewayPort),
        RATE_LIMIT_PER_MINUTE: '1000000000',
        LOG_LEVEL: 'warn',
      },
      readyUrl: `http://127.0.0.1:${gatewayPort}/health`,
    });
    processes.push(gateway);
    const bare = await startProcess({
      name: 'bare-list-server',
      script: 'scripts/run-ts.js',
      args: ['scripts/bench/list/bare-list-server.ts'],
      nodeArgs,
      env: { DATABASE_URL: databaseUrl, BARE_PORT: String(barePort), BENCH_ACCOUNT_ID: accountId },
      readyUrl: `http://127.0.0.1:${barePort}/health`,
    });
    processes.push(bare);
    if (values['cpu-prof']) process.stdout.write(`profiling: gateway pid ${gateway.pid}, bare server pid ${bare.pid}\n`);
    const path = '/v1/whatsapp/phone-numbers';
    const load = { connections, durationSeconds };
    const stage = async (rows: number): Promise<Stage> => ({
      rows,
      gateway: await measure({ ...load, url: `http://127.0.0.1:${gatewayPort}${path}`, headers: { authorization: `Bearer ${key.key}` }, serverPid: gateway.pid }),
      bare: await measure({ ...load, url: `http://127.0.0.1:${barePort}${path}`, serverPid: bare.pid }),
    });

    process.stdout.write(`measuring at 10k rows (${connections} connections, ${durationSeconds} s each)...\n`);
    const small = await stage(10_000);
    process.stdout.write(`growing to ${bigRows} rows over ${accounts} accounts...\n`);
    const seedStart = Date.now();
    await growTo(db, bigRows, accounts);
    process.stdout.write(`  seeded in ${((Date.now() - seedStart) / 1000).toFixed(1)} s\nmeasuring at ${bigRows} rows...\n`);
    const big = await stage(bigRows);

    const ratio = big.gateway.requestsPerSecond / big.bare.requestsPerSecond;
    // CPU per request moves less with what else the shared machine runs than throughput does.
    const cpuRatio = (big.bare.cpuMsPerRequest ?? 0) / (big.gateway.cpuMsPerRequest ?? 1);
    const flat = big.gateway.p50Ms / Math.max(small.gateway.p50Ms, 1);
    process.stdout.write(`
GET ${path} (an account with ${TARGET_NUMBERS} numbers)
${row('gateway @ 10k rows', small.gateway)}
${row('bare Fastify+pg @ 10k rows', small.bare)}
${row(`gateway @ ${bigRows} rows`, big.gateway)}
${row(`bare Fastify+pg @ ${bigRows} rows`, big.bare)}

gateway / bare throughput at ${bigRows} rows: ${ratio.toFixed(2)}   (goal >= 0.80)
bare / gateway CPU per request at ${bigRows} rows: ${cpuRatio.toFixed(2)}
gateway p50 at ${bigRows} rows vs 10k rows: ${big.gateway.p50Ms} ms vs ${small.gateway.p50Ms} ms (x${flat.toFixed(2)}; goal within 1.20)
`);
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
    await db.destroy();
  }
}
