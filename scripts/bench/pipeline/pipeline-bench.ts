import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { AppConfig } from '@numbers/config';
import { Database } from '@numbers/persistence';
import { countOf, createTestAccountWithKey, eventually, ensureBuilt, freePort, startProcess, startSimulatorProcess, type SimulatorProcess, type StartedProcess, type TestAccountWithKey } from '@numbers/test-support';
import { criticalPathMs, INLINE_PURCHASE_PATH, LATENCY_PROFILE_NAMES, LATENCY_PROFILES, type LatencyProfileName } from '../../../apps/provider-simulator/src/latency/latency-profile';
import { localEnv } from '../../lib/local-env';
import { resetBenchDatabase } from '../bench-database';
import { flushBenchPrefix } from '../bench-store';
import type { BareRate } from '../bare-rate';
import { noopJobs } from '../bullmq-noop';
import { httpNoop } from '../http-noop';
import { pgNoop } from '../pg-noop';
import { CpuMeter, pidsWhoseCommandHas } from '../process-cpu';
import { limiter, percentile } from '../concurrency';
import { printFloor } from './floor';
import { StatementCounters } from './statement-counters';

// BENCH_PIPELINE_NAME (lowercase letters) keeps two benchmarks on one machine off each other's database and Redis keys.
const NAME = process.env['BENCH_PIPELINE_NAME'] ?? 'pipeline';
const DATABASE = `numbers_bench_${NAME}`;
const REDIS_PREFIX = `{numbers-bench-${NAME}}`;
const NUMBERS_PER_ACCOUNT = 25; // the scale plan's limit
const NOOP_JOBS = 5000;
const NOOP_HTTP_REQUESTS = 5000;
const NOOP_STATEMENTS = 20_000;
// A few connections, as a worker's jobs share its pool; more in flight changes the CPU per statement little.
const NOOP_CONNECTIONS = 8;
const GOAL_NUMBERS_PER_SECOND = 100;
const GOAL_LATENCY_RATIO = 0.8;

interface PipelineResult {
  seconds: number;
  jobsAtActive: number;
  jobsSettled: number;
  bullmqCompleted: number;
  failedPurchases: number;
  /** Statements sent to PostgreSQL by each app from the first purchase until all were active, BEGIN and COMMIT included. */
  statements: Map<string, number>;
  /** Commands Redis processed over the same span (every client of it: the bench's polling too). */
  redisCommands: number;
  /** CPU ms each process spent from the first purchase until all were active. */
  cpuMs: Map<string, number>;
  /** HTTP exchanges with the providers until all were active: calls the simulator answered, webhooks it sent. */
  providerCalls: Map<string, number>;
  webhooks: number;
  /** Each number's purchase-to-active time, ms, ascending. */
  timesToActiveMs: number[];
  /** When each number became active, epoch ms, ascending. */
  activatedAtMs: number[];
  /** The environment the processes ran with. */
  env: Record<string, string>;
}

interface PipelineRun {
  numbers: number;
  concurrency: number;
  nodeArgs: string[];
  latency: LatencyProfileName;
  workers: string | undefined;
}

/** The parts of the simulator's `GET /_sim/state` counted here. */
/** The simulator's uncapped counts (its request and webhook logs keep only the newest entries). */
interface SimulatorTraffic {
  totals: { requests: Record<string, number>; webhookAttempts: number };
}

/**
 * `npm run bench -- pipeline [--numbers N] [--concurrency C] [--cpu-prof DIR] [--latency realistic]`: N numbers
 * bought over scale-plan accounts (25 each: the first through Checkout, paid via the simulator,
 * the rest inline), timed from the first purchase request until all N are `active`; then
 * BullMQ's no-op job rate on the same Redis. With `--latency realistic` the pipeline runs twice,
 * same N: the simulator answering at once, then with the realistic latency profile; the ratio
 * of their numbers/s shows whether concurrency hides the providers' latency.
 */
export async function runPipelineBenchmark(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      numbers: { type: 'string', default: '200' },
      concurrency: { type: 'string', default: '16' },
      'cpu-prof': { type: 'string' },
      latency: { type: 'string', default: 'none' },
      // Jobs each worker runs at once (WORKER_CONCURRENCY); I/O-bound jobs waiting on a slow provider want more.
      'worker-concurrency': { type: 'string' },
    },
  });
  // Each process writes a V8 CPU profile there when it stops (open it in Chrome DevTools).
  const nodeArgs = values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : [];
  const numbers = Number(values.numbers);
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(numbers) || numbers < 1) throw new Error('--numbers must be a positive integer');
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error('--concurrency must be a positive integer');
  const latency = values.latency as LatencyProfileName;
  const workers = values['worker-concurrency'];
  if (workers !== undefined && !(Number(workers) >= 1)) throw new Error('--worker-concurrency must be a positive integer');
  if (!LATENCY_PROFILE_NAMES.includes(latency)) throw new Error(`--latency must be one of ${LATENCY_PROFILE_NAMES.join(', ')}`);

  process.stdout.write('building the apps...\n');
  await ensureBuilt(['provider-simulator', 'api-gateway', 'provisioning-worker', 'billing-worker']);
  const result = await runPipeline({ numbers, concurrency, nodeArgs, latency: 'none', workers });
  const slowed = latency === 'none' ? null : await runPipeline({ numbers, concurrency, nodeArgs, latency, workers });

  const base = localEnv();
  const workerConcurrency = AppConfig.fromEnv(result.env).workerConcurrency;
  process.stdout.write(`measuring BullMQ no-op jobs (${NOOP_JOBS}, worker concurrency ${workerConcurrency})...\n`);
  const noop = await noopJobs(base['REDIS_URL'], workerConcurrency, NOOP_JOBS);
  process.stdout.write(`measuring HTTP no-op exchanges (${NOOP_HTTP_REQUESTS}, ${concurrency} in flight)...\n`);
  const noopHttp = await httpNoop(NOOP_HTTP_REQUESTS, concurrency);
  process.stdout.write(`measuring no-op prepared statements (${NOOP_STATEMENTS}, ${NOOP_CONNECTIONS} connections)...\n`);
  // The benchmark's database, with the pipeline's processes gone: only these backends use it now.
  const noopPg = await pgNoop(result.env['DATABASE_URL'], DATABASE, NOOP_CONNECTIONS, NOOP_STATEMENTS);
  printPipeline(result, { numbers, concurrency, noop, noopHttp, workerConcurrency });
  const exchanges = [...result.providerCalls.values()].reduce((a, b) => a + b, result.webhooks);
  printFloor({ numbers, jobs: result.jobsAtActive, exchanges, statements: result.statements, cpuMs: result.cpuMs }, { jobs: noop, exchanges: noopHttp, statements: noopPg }, NOOP_CONNECTIONS);
  if (slowed) printLatencyComparison(result, slowed, numbers, latency);
}

/** One pipeline run on a fresh database and Redis prefix, the simulator on the given latency profile. */
async function runPipeline({ numbers, concurrency, nodeArgs, latency, workers }: PipelineRun): Promise<PipelineResult> {
  const base = localEnv();
  const admin = new URL(base['DATABASE_URL']);
  admin.pathname = '/postgres';

  process.stdout.write(`preparing the benchmark database (simulator latency: ${latency})...\n`);
  const databaseUrl = await resetBenchDatabase(admin.toString(), DATABASE);
  await flushBenchPrefix(base['REDIS_URL'], REDIS_PREFIX);

  const gatewayPort = await freePort();
  const baseUrl = `http://127.0.0.1:${gatewayPort}`;
  const processes: StartedProcess[] = [];
  let sim: SimulatorProcess | undefined;
  let db: Database | undefined;
  let env: Record<string, string> = {};
  let result: PipelineResult;
  try {
    // GATEWAY_PORT moves PUBLIC_BASE_URL and the simulator's webhook target along with it.
    sim = await startSimulatorProcess({
      DATABASE_URL: databaseUrl,
      REDIS_URL: base['REDIS_URL'],
      REDIS_PREFIX,
      GATEWAY_PORT: String(gatewayPort),
      SIMULATOR_LATENCY: latency,
    }, nodeArgs);
    env = { ...sim.env, LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '1000000000', ...(workers ? { WORKER_CONCURRENCY: workers } : {}) };
    const put = async (path: string, body: unknown) => {
      const response = await fetch(`${sim?.url}${path}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!response.ok) throw new Error(`simulator PUT ${path}: ${response.status} ${await response.text()}`);
    };
    await put('/_sim/telnyx/number-orders/policy', { completionDelayMs: 0 });
    await put('/_sim/webhooks/policy', { delayMs: 0, copies: 1, shuffle: false });

    // Each worker's /metrics on a port of its own, for its statement count.
    const [provisioningMetrics, billingMetrics] = await Promise.all([freePort(), freePort()]);
    processes.push(
      ...(await Promise.all([
        startProcess({ name: 'api-gateway', script: 'dist/apps/api-gateway/main.js', env, nodeArgs, readyUrl: `${baseUrl}/health` }),
        startProcess({ name: 'provisioning-worker', script: 'dist/apps/provisioning-worker/main.js', env: { ...env, METRICS_PORT: String(provisioningMetrics) }, nodeArgs }),
        startProcess({ name: 'billing-worker', script: 'dist/apps/billing-worker/main.js', env: { ...env, METRICS_PORT: String(billingMetrics) }, nodeArgs }),
      ])),
    );
    const statementCounters = new StatementCounters({
      'api-gateway': `${baseUrl}/metrics`,
      'provisioning-worker': `http://127.0.0.1:${provisioningMetrics}/metrics`,
      'billing-worker': `http://127.0.0.1:${billingMetrics}/metrics`,
    });
    const config = AppConfig.fromEnv(env);
    // At LOG_LEVEL=warn the workers do not print "ready": wait for their BullMQ workers instead.
    const probeConnection = new Redis(env['REDIS_URL'], { maxRetriesPerRequest: null });
    const queues = ['provisioning', 'billing'].map((name) => new Queue(name, { connection: probeConnection, prefix: REDIS_PREFIX }));
    try {
      await eventually('workers ready', async () => (await Promise.all(queues.map((q) => q.getWorkersCount()))).every((n) => n > 0), 60_000, 200);
    } finally {
      await Promise.all(queues.map((q) => q.close()));
      probeConnection.disconnect();
    }

    const database = new Database(config);
    db = database;
    const accounts: { account: TestAccountWithKey; numbers: number }[] = [];
    for (let left = numbers, i = 0; left > 0; left -= NUMBERS_PER_ACCOUNT, i += 1) {
      accounts.push({ account: await createTestAccountWithKey(database, { name: `Bench ${i}`, planCode: 'scale' }), numbers: Math.min(NUMBERS_PER_ACCOUNT, left) });
    }
    process.stdout.write(`buying ${numbers} numbers over ${accounts.length} scale accounts (${concurrency} purchase requests at a time)...\n`);

    const limit = limiter(concurrency);
    let failedPurchases = 0;
    const purchase = (account: TestAccountWithKey, allowMultiple: boolean) =>
      limit(async () => {
        const response = await fetch(`${baseUrl}/v1/whatsapp/phone-numbers/purchase`, {
          method: 'POST',
          headers: { authorization: `Bearer ${account.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify(allowMultiple ? { profileId: account.profileId, allowMultiple: true } : { profileId: account.profileId }),
        });
        const body = (await response.json()) as { checkoutUrl?: string; phoneNumber?: { id: string } };
        if (response.status !== 200) {
          failedPurchases += 1;
          throw new Error(`purchase answered ${response.status}: ${JSON.stringify(body)}`);
        }
        return body;
      });
    const buyAll = async ({ account, numbers: wanted }: { account: TestAccountWithKey; numbers: number }) => {
      const first = await purchase(account, false);
      const session = /\/checkout\/([^/?#]+)/.exec(first.checkoutUrl ?? '')?.[1];
      if (!session) throw new Error(`no checkout session in ${JSON.stringify(first)}`);
      await sim?.post(`/_sim/stripe/checkout/${session}/pay`, {});
      // Later numbers are bought inline once the paid Checkout's subscription is recorded.
      await eventually(
        'subscription recorded',
        async () => (await countOf(database.selectFrom('billingAccounts').where('accountId', '=', account.accountId).where('stripeSubscriptionId', 'is not', null))) > 0,
        60_000,
        20,
      );
      await Promise.all(Array.from({ length: wanted - 1 }, () => purchase(account, true)));
    };

    const simulator = sim;
    const meter = new CpuMeter([
      ...processes.map((p) => ({ name: p.name, pids: () => [p.pid] })),
      { name: 'provider-simulator', pids: () => [simulator.pid] },
      { name: 'postgres', pids: () => pidsWhoseCommandHas('postgres: ', ` ${DATABASE} `) },
      { name: 'redis', pids: () => pidsWhoseCommandHas('redis-server') },
    ]);
    await statementCounters.start();
    const redisStats = new Redis(env['REDIS_URL'], { maxRetriesPerRequest: null });
    const redisCommandsBefore = await redisCommandsProcessed(redisStats);
    meter.start();
    const startedAt = new Date();
    const started = performance.now();
    const buying = Promise.all(accounts.map(buyAll));
    const timeoutMs = 120_000 + numbers * 200;
    await Promise.race([
      buying.then(() => new Promise<never>(() => undefined)),
      eventually('all numbers active', async () => (await countOf(database.selectFrom('phoneNumbers').where('status', '=', 'active'))) >= numbers, timeoutMs),
    ]);
    const seconds = (performance.now() - started) / 1000;
    const cpuMs = meter.stop();
    const statements = await statementCounters.stop();
    const redisCommands = (await redisCommandsProcessed(redisStats)) - redisCommandsBefore;
    redisStats.disconnect();
    const traffic = await sim.get<SimulatorTraffic>('/_sim/state');
    const providerCalls = new Map(Object.entries(traffic.totals.requests));
    const webhooks = traffic.totals.webhookAttempts;
    await buying;
    const jobsSince = () => countOf(database.selectFrom('outbox').where('kind', '=', 'job').where('createdAt', '>=', startedAt));
    const jobsAtActive = await jobsSince();

    // Let the follow-ups after activation (billing) finish, for the settled job count.
    const probe = new Redis(env['REDIS_URL'], { maxRetriesPerRequest: null });
    const allQueues = ['provisioning', 'billing', 'calling'].map((name) => new Queue(name, { connection: probe, prefix: REDIS_PREFIX }));
    let bullmqCompleted = 0;
    try {
      await eventually(
        'pipeline settled',
        async () => {
          const unpublished = await countOf(database.selectFrom('outbox').where('publishedAt', 'is', null));
          const pending = await Promise.all(allQueues.map((q) => q.getJobCounts('waiting', 'active', 'prioritized')));
          // A job scheduler (the sweeps) always keeps its next run delayed: count only the others.
          const delayed = await Promise.all(allQueues.map((q) => q.getDelayed()));
          return (
            unpublished === 0 &&
            pending.every((c) => Object.values(c).every((n) => n === 0)) &&
            delayed.every((jobs) => jobs.every((job) => job.repeatJobKey !== undefined))
          );
        },
        30_000,
        200,
      ).catch(() => process.stdout.write('  (the pipeline had not settled after 30 s; counting what was done)\n'));
      const completed = await Promise.all(allQueues.map((q) => q.getJobCounts('completed')));
      bullmqCompleted = completed.reduce((sum, c) => sum + (c['completed'] ?? 0), 0);
    } finally {
      await Promise.all(allQueues.map((q) => q.close()));
      probe.disconnect();
    }
    const jobsSettled = await jobsSince();
    const activated = await database.selectFrom('phoneNumbers').select(['createdAt', 'activatedAt']).where('activatedAt', 'is not', null).execute();
    const timesToActiveMs = activated.map((row) => (row.activatedAt as Date).getTime() - row.createdAt.getTime()).sort((a, b) => a - b);
    const activatedAtMs = activated.map((row) => (row.activatedAt as Date).getTime()).sort((a, b) => a - b);
    result = { seconds, jobsAtActive, jobsSettled, bullmqCompleted, failedPurchases, statements, redisCommands, cpuMs, providerCalls, webhooks, timesToActiveMs, activatedAtMs, env };
  } catch (error) {
    for (const p of processes) process.stderr.write(`--- ${p.name}\n${p.logs()}\n`);
    throw error;
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
    await sim?.stop();
    await db?.destroy();
    await flushBenchPrefix(base['REDIS_URL'], REDIS_PREFIX);
  }
  return result;
}

interface Floors {
  numbers: number;
  concurrency: number;
  noop: BareRate;
  noopHttp: BareRate;
  workerConcurrency: number;
}

function printPipeline(result: PipelineResult, { numbers, concurrency, noop: { perSecond: noop }, noopHttp: { perSecond: noopHttp }, workerConcurrency }: Floors): void {
  const perSecond = numbers / result.seconds;
  const jobsPerNumber = result.jobsAtActive / numbers;
  const ratio = (perSecond * jobsPerNumber) / noop;
  const calls = [...result.providerCalls.values()].reduce((a, b) => a + b, 0);
  const exchangesPerNumber = (calls + result.webhooks) / numbers;
  const httpRatio = (perSecond * exchangesPerNumber) / noopHttp;
  const totalCpuMs = [...result.cpuMs.values()].reduce((a, b) => a + b, 0);
  const cores = cpus().length;
  const cpuBudgetMs = (cores * 1000) / GOAL_NUMBERS_PER_SECOND;
  process.stdout.write(`
pipeline: ${numbers} numbers, purchase to active, simulator answering at once
  wall time                      ${result.seconds.toFixed(2)} s
  numbers/s                      ${perSecond.toFixed(1)}   (goal >= ${GOAL_NUMBERS_PER_SECOND})
  jobs per number                ${jobsPerNumber.toFixed(2)}   (outbox job rows until all active: ${result.jobsAtActive})
  jobs per number, settled       ${(result.jobsSettled / numbers).toFixed(2)}   (incl. follow-ups after activation: ${result.jobsSettled}; BullMQ completed: ${result.bullmqCompleted})
  Redis commands per job         ${(result.redisCommands / result.jobsAtActive).toFixed(1)}   (${(result.redisCommands / numbers).toFixed(1)} per number: every command Redis processed until all active, over the jobs until then)
  BullMQ no-op jobs/s            ${noop.toFixed(0)}   (${NOOP_JOBS} jobs, concurrency ${workerConcurrency}, same Redis)
  (numbers/s x jobs per number) / no-op jobs/s = ${ratio.toFixed(3)}
  provider HTTP exchanges/number ${exchangesPerNumber.toFixed(2)}   (calls the simulator answered: ${[...result.providerCalls].map(([p, n]) => `${p} ${n}`).join(', ')}; webhooks it sent: ${result.webhooks})
  HTTP no-op exchanges/s         ${noopHttp.toFixed(0)}   (fetch to a bare Fastify server in another Node process, ${concurrency} in flight)
  (numbers/s x exchanges per number) / no-op exchanges/s = ${httpRatio.toFixed(3)};  at ${GOAL_NUMBERS_PER_SECOND}/s: ${((GOAL_NUMBERS_PER_SECOND * exchangesPerNumber) / noopHttp).toFixed(2)}
  at ${GOAL_NUMBERS_PER_SECOND}/s, bare BullMQ jobs alone would take ${((GOAL_NUMBERS_PER_SECOND * jobsPerNumber) / noop).toFixed(2)} of what the machine does with no-op jobs
  CPU per number, by process     ${[...result.cpuMs].map(([name, ms]) => `${name} ${(ms / numbers).toFixed(1)}`).join(', ')} (ms)
  CPU per number, all            ${(totalCpuMs / numbers).toFixed(1)} ms   (${cores} cores give ${cpuBudgetMs.toFixed(0)} ms per number at ${GOAL_NUMBERS_PER_SECOND}/s)
${result.failedPurchases ? `  failed purchase requests       ${result.failedPurchases}\n` : ''}`);
}

/** Redis's count of the commands it processed since it started (INFO stats). */
async function redisCommandsProcessed(redis: Redis): Promise<number> {
  const match = /^total_commands_processed:(\d+)/m.exec(await redis.info('stats'));
  if (!match) throw new Error('INFO stats has no total_commands_processed');
  return Number(match[1]);
}

/** The same pipeline with the providers' latency against it answering at once. */
function printLatencyComparison(instant: PipelineResult, slowed: PipelineResult, numbers: number, latency: LatencyProfileName): void {
  const instantRate = numbers / instant.seconds;
  const slowedRate = numbers / slowed.seconds;
  const criticalMs = criticalPathMs(LATENCY_PROFILES[latency], INLINE_PURCHASE_PATH);
  const instantSteady = steadyRate(instant.activatedAtMs);
  const slowedSteady = steadyRate(slowed.activatedAtMs);
  const p50 = percentile(slowed.timesToActiveMs, 50);
  const p99 = percentile(slowed.timesToActiveMs, 99);
  process.stdout.write(`
pipeline: ${numbers} numbers, the simulator answering at once, then with the ${latency} latency profile
  numbers/s, at once             ${instantRate.toFixed(1)}   (${instant.seconds.toFixed(2)} s)
  numbers/s, ${latency.padEnd(20)}${slowedRate.toFixed(1)}   (${slowed.seconds.toFixed(2)} s)
  ratio                          ${(slowedRate / instantRate).toFixed(2)}   (goal >= ${GOAL_LATENCY_RATIO}; the first numbers wait out the critical path whatever the concurrency)
  numbers/s between the 10th and 90th percent activated: at once ${instantSteady.toFixed(1)}, ${latency} ${slowedSteady.toFixed(1)}, ratio ${(slowedSteady / instantSteady).toFixed(2)}
  time to active, at once        p50 ${formatMs(percentile(instant.timesToActiveMs, 50))}, p99 ${formatMs(percentile(instant.timesToActiveMs, 99))}
  time to active, ${latency.padEnd(15)}p50 ${formatMs(p50)}, p99 ${formatMs(p99)}
  critical path (p50 delays)     ${formatMs(criticalMs)}   (${INLINE_PURCHASE_PATH.length} exchanges awaited in turn by an inline purchase); p50 / path ${(p50 / criticalMs).toFixed(2)}, p99 / path ${(p99 / criticalMs).toFixed(2)}
${slowed.failedPurchases ? `  failed purchase requests       ${slowed.failedPurchases}\n` : ''}`);
}

/** Activations per second from the 10th to the 90th percent of them: the rate once the pipeline is full. */
function steadyRate(activatedAtMs: readonly number[]): number {
  const first = percentile(activatedAtMs, 10);
  const last = percentile(activatedAtMs, 90);
  const between = activatedAtMs.filter((at) => at >= first && at <= last).length;
  return last > first ? ((between - 1) * 1000) / (last - first) : Number.NaN;
}

/** The value below which a share `q` of the ascending `sorted` lies. */

function formatMs(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
