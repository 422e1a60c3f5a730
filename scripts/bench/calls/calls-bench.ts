import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { AppConfig } from '@numbers/config';
import { newId } from '@numbers/domain';
import { Database } from '@numbers/persistence';
import { countOf, createTestAccountWithKey, eventually, ensureBuilt, freePort, startProcess, startSimulatorProcess, type SimulatorProcess, type StartedProcess } from '@numbers/test-support';
import { localEnv } from '../../lib/local-env';
import { resetBenchDatabase } from '../bench-database';
import { flushBenchPrefix } from '../bench-store';
import { percentile } from '../concurrency';
import { pidsWhoseCommandHas } from '../process-cpu';
import { runStepSearch } from './calls-steps';

const DATABASE = 'numbers_bench_calls';
const REDIS_PREFIX = '{numbers-bench-calls}';
const GOAL_CALLS_PER_SECOND = 200;

interface Options {
  seconds: number;
  connections: number;
  numbers: number;
  consumers: number;
  talkMs: number | null;
  /** Each process writes a V8 CPU profile there when it stops. */
  cpuProf: string | null;
  /** Stop the calling worker once set up: the gateway's acceptance alone (calls stay dialing). */
  acceptOnly: boolean;
  /** C connections in a closed loop for S seconds, instead of stepping an offered rate. */
  closed: boolean;
  startRate: number;
  maxRate: number;
}

function options(args: string[]): Options {
  const { values } = parseArgs({
    args,
    options: {
      seconds: { type: 'string' },
      connections: { type: 'string', default: '32' },
      numbers: { type: 'string', default: '10' },
      consumers: { type: 'string', default: '5' },
      'talk-ms': { type: 'string' },
      'cpu-prof': { type: 'string' },
      'accept-only': { type: 'boolean', default: false },
      closed: { type: 'boolean', default: false },
      'start-rate': { type: 'string', default: '20' },
      'max-rate': { type: 'string', default: '2000' },
    },
  });
  const int = (name: string, value: string | undefined, min: number) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}`);
    return n;
  };
  return {
    // A closed loop runs once; the rate search runs a step per rate.
    seconds: int('seconds', values.seconds ?? (values.closed || values['accept-only'] ? '20' : '10'), 1),
    connections: int('connections', values.connections, 1),
    numbers: int('numbers', values.numbers, 1),
    consumers: int('consumers', values.consumers, 1),
    talkMs: values['talk-ms'] === undefined ? null : int('talk-ms', values['talk-ms'], 0),
    cpuProf: values['cpu-prof'] ?? null,
    acceptOnly: values['accept-only'] === true,
    closed: values.closed === true,
    startRate: int('start-rate', values['start-rate'], 1),
    maxRate: int('max-rate', values['max-rate'], 1),
  };
}

/**
 * `npm run bench -- calls [--seconds S] [--start-rate R] [--max-rate M] [--numbers N] [--consumers K] [--talk-ms T] [--cpu-prof DIR] [--closed [--connections C]] [--accept-only]`:
 * `POST /v1/whatsapp/calls` from N calling-enabled numbers to K consumers each who allowed calls,
 * the whole system running (the simulator, the gateway, the calling worker) and the simulated
 * carrier answering every call at once (hung up after T ms when given, else left up). Setup goes
 * through the product: calling is enabled through the API (the worker configures Meta and the
 * carrier), each consumer writes, is prompted through the API and allows calls permanently.
 *
 * By default the offered rate is stepped, open loop, S seconds a step (`runStepSearch`): the
 * highest rate whose calls are dialed within 1 s (p99), beside the bare floor, then twice that
 * rate. `--closed`: C requests in flight for S seconds after a warm-up; prints calls accepted per
 * second, the acceptance latency (p50/p99) and the time from acceptance until we know the call
 * was answered (the `call.answered` webhook processed). `--accept-only` (closed loop) stops the
 * calling worker after the warm-up: the gateway accepting calls with nothing else running.
 */
export async function runCallsBenchmark(args: string[]): Promise<void> {
  const opts = options(args);
  const nodeArgs = opts.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProf}`] : [];
  const base = localEnv();
  const admin = new URL(base['DATABASE_URL']);
  admin.pathname = '/postgres';

  process.stdout.write('building the apps and preparing the benchmark database...\n');
  await ensureBuilt(['provider-simulator', 'api-gateway', 'calling-worker']);
  const databaseUrl = await resetBenchDatabase(admin.toString(), DATABASE);
  await flushBenchPrefix(base['REDIS_URL'], REDIS_PREFIX);

  const gatewayPort = await freePort();
  const baseUrl = `http://127.0.0.1:${gatewayPort}`;
  const processes: StartedProcess[] = [];
  let sim: SimulatorProcess | undefined;
  let db: Database | undefined;
  try {
    sim = await startSimulatorProcess({ DATABASE_URL: databaseUrl, REDIS_URL: base['REDIS_URL'], REDIS_PREFIX, GATEWAY_PORT: String(gatewayPort) }, nodeArgs);
    const env: Record<string, string> = { ...sim.env, LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '1000000000' };
    const simulator = sim;
    const put = async (path: string, body: unknown) => {
      const response = await fetch(`${simulator.url}${path}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!response.ok) throw new Error(`simulator PUT ${path}: ${response.status} ${await response.text()}`);
    };
    await put('/_sim/webhooks/policy', { delayMs: 0, copies: 1, shuffle: false });
    await put('/_sim/telnyx/calls/policy', { outcome: 'answered', ringMs: 0, talkMs: opts.talkMs, delivery: 'live' });

    processes.push(
      ...(await Promise.all([
        startProcess({ name: 'api-gateway', script: 'dist/apps/api-gateway/main.js', env, nodeArgs, readyUrl: `${baseUrl}/health` }),
        startProcess({ name: 'calling-worker', script: 'dist/apps/calling-worker/main.js', env, nodeArgs }),
      ])),
    );
    const probeConnection = new Redis(env['REDIS_URL'], { maxRetriesPerRequest: null });
    const queue = new Queue('calling', { connection: probeConnection, prefix: REDIS_PREFIX });
    try {
      await eventually('calling worker ready', async () => (await queue.getWorkersCount()) > 0, 60_000, 200);
    } finally {
      await queue.close();
      probeConnection.disconnect();
    }

    // Setup, through the product.
    const database = new Database(AppConfig.fromEnv(env));
    db = database;
    const account = await createTestAccountWithKey(database, { name: 'Bench calls', planCode: 'scale' });
    const headers = { authorization: `Bearer ${account.apiKey}`, 'content-type': 'application/json' };
    const api = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return response.json() as Promise<Record<string, unknown>>;
    };
    process.stdout.write(`enabling calling on ${opts.numbers} numbers; ${opts.consumers} consumers each allow calls...\n`);
    const pairs: { numberId: string; to: string }[] = [];
    for (let n = 0; n < opts.numbers; n++) {
      const phone = `+1415556${String(n).padStart(4, '0')}`;
      const metaId = `1077${String(n).padStart(11, '0')}`;
      const telnyxId = `45${String(n).padStart(17, '0')}`;
      await sim.post('/_sim/telnyx/numbers', { id: telnyxId, phoneNumber: phone });
      await sim.post('/_sim/meta/numbers', { id: metaId, displayPhoneNumber: phone });
      const numberId = newId();
      await database
        .insertInto('phoneNumbers')
        .values({ id: numberId, accountId: account.accountId, profileId: account.profileId, phoneNumber: phone, country: 'US', status: 'active', monthlyCents: 300, telnyxNumberId: telnyxId, metaPhoneNumberId: metaId })
        .execute();
      await api('POST', `/v1/phone-numbers/${numberId}/whatsapp/calling`, { accountId: numberId, forwardTo: 'tel:+14155550199' });
      for (let c = 0; c < opts.consumers; c++) pairs.push({ numberId, to: `+44770${String(n).padStart(3, '0')}${String(c).padStart(4, '0')}` });
    }
    await eventually('calling enabled', async () => (await countOf(database.selectFrom('phoneNumbers').where('callingStatus', '=', 'enabled'))) === opts.numbers, 60_000);
    const phoneOf = new Map((await database.selectFrom('phoneNumbers').select(['id', 'phoneNumber']).execute()).map((n) => [n.id, n.phoneNumber as string]));
    for (const { numberId, to } of pairs) {
      const business = phoneOf.get(numberId) as string;
      await sim.post('/_sim/meta/consumers/permission-reply', { consumer: to, business, reply: 'allow_permanent' });
      await sim.post('/_sim/meta/consumers/messages', { to: business, from: to, text: 'Call me' });
    }
    await eventually('windows open', async () => (await countOf(database.selectFrom('callPermissions').where('windowOpenedAt', 'is not', null))) === pairs.length, 60_000);
    for (const { numberId, to } of pairs) await api('POST', '/v1/whatsapp/calls', { accountId: numberId, to, action: 'send_call_permission_request' });
    await eventually('consumers allowed calls', async () => (await countOf(database.selectFrom('callPermissions').where('status', '=', 'permanent'))) === pairs.length, 60_000);

    if (!opts.closed && !opts.acceptOnly) {
      const cpuParts = [
        ...processes.map((p) => ({ name: p.name, pids: () => [p.pid] })),
        { name: 'provider-simulator', pids: () => [simulator.pid] },
        { name: 'postgres', pids: () => pidsWhoseCommandHas('postgres: ', ` ${DATABASE} `) },
        { name: 'redis', pids: () => pidsWhoseCommandHas('redis-server') },
      ];
      await runStepSearch({ baseUrl, headers, pairs, database, sim, redisUrl: env['REDIS_URL'], redisPrefix: REDIS_PREFIX, cpuParts }, opts);
      return;
    }

    // Load.
    let next = 0;
    const body = () => {
      const pair = pairs[next++ % pairs.length];
      return JSON.stringify({ accountId: pair.numberId, to: pair.to });
    };
    const run = (seconds: number) =>
      autocannon({
        url: `${baseUrl}/v1/whatsapp/calls`,
        method: 'POST',
        headers,
        connections: opts.connections,
        duration: seconds,
        requests: [{ method: 'POST', setupRequest: (request) => ({ ...request, body: body() }) }],
      });
    process.stdout.write(`warming up (2 s), then ${opts.seconds} s with ${opts.connections} requests in flight...\n`);
    await run(2);
    await eventually('warm-up answered', async () => (await countOf(database.selectFrom('calls').where('status', 'in', ['dialing', 'ringing']))) === 0, 120_000, 200);
    if (opts.acceptOnly) await processes.pop()?.stop();
    const measuredFrom = new Date();
    const result = await run(opts.seconds);
    const loadEnded = performance.now();
    if (opts.acceptOnly) {
      process.stdout.write(`
calls (accept only: no calling worker, so no dial and no webhook): POST /v1/whatsapp/calls for ${opts.seconds} s, ${opts.connections} in flight
  calls accepted                 ${result['2xx']}   (non-2xx: ${result.non2xx}, errors: ${result.errors}, timeouts: ${result.timeouts})
  calls/s accepted               ${(result['2xx'] / opts.seconds).toFixed(1)}   (goal >= ${GOAL_CALLS_PER_SECOND})
  acceptance latency             p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms
`);
      return;
    }

    const pending = () => countOf(database.selectFrom('calls').where('createdAt', '>=', measuredFrom).where('status', 'in', ['dialing', 'ringing']));
    const drained = await eventually('every call answered', async () => (await pending()) === 0, 300_000, 200)
      .then(() => (performance.now() - loadEnded) / 1000)
      .catch(() => null);
    // The join on a path into the stored body reads better as SQL than built.
    const { rows } = await sql<{ ms: number }>`SELECT EXTRACT(EPOCH FROM (w.processed_at - c.created_at)) * 1000 AS ms
         FROM calls c
         JOIN webhook_events w ON w.provider = 'telnyx' AND w.event_type = 'call.answered'
          AND (w.raw_body::jsonb #>> '{data,payload,call_control_id}') = c.telnyx_call_control_id
        WHERE c.created_at >= ${measuredFrom} AND w.processed_at IS NOT NULL`.execute(database);
    const toAnswered = rows.map((r) => Number(r.ms)).sort((a, b) => a - b);
    const accepted = result['2xx'];
    const statuses = await database
      .selectFrom('calls')
      .select((eb) => [sql<string>`status::text`.as('status'), eb.fn.countAll<string>().as('count')])
      .where('createdAt', '>=', measuredFrom)
      .groupBy('status')
      .orderBy('status')
      .execute();

    process.stdout.write(`
calls: POST /v1/whatsapp/calls for ${opts.seconds} s, ${opts.connections} in flight, ${pairs.length} (number, consumer) pairs; the simulated carrier answers at once
  calls accepted                 ${accepted}   (non-2xx: ${result.non2xx}, errors: ${result.errors}, timeouts: ${result.timeouts})
  calls/s accepted               ${(accepted / opts.seconds).toFixed(1)}   (goal >= ${GOAL_CALLS_PER_SECOND})
  acceptance latency             p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms
  time to answered               p50 ${percentile(toAnswered, 50).toFixed(0)} ms, p99 ${percentile(toAnswered, 99).toFixed(0)} ms, max ${(toAnswered[toAnswered.length - 1] ?? NaN).toFixed(0)} ms   (${toAnswered.length} calls)
  backlog after the load         ${drained === null ? 'not drained within 300 s' : `${drained.toFixed(1)} s until every call was answered`}
  calls by status                ${statuses.map((r) => `${r.status} ${r.count}`).join(', ')}
`);
  } catch (error) {
    for (const p of processes) process.stderr.write(`--- ${p.name}\n${p.logs()}\n`);
    throw error;
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
    await sim?.stop();
    await db?.destroy();
    await flushBenchPrefix(base['REDIS_URL'], REDIS_PREFIX);
  }
}
