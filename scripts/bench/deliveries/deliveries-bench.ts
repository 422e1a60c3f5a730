import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { AppConfig } from '@numbers/config';
import { newId } from '@numbers/domain';
import { Database, NumberLifecycle, PhoneNumberRecords, WebhookEndpointRepository, WebhookSecretSealer, type PhoneNumber } from '@numbers/persistence';
import { createTestAccount, eventually, ensureBuilt, startProcess, type StartedProcess } from '@numbers/test-support';
import { localEnv } from '../../lib/local-env';
import { resetBenchDatabase } from '../bench-database';
import { flushBenchPrefix } from '../bench-store';
import { noopJobsPerSecond } from '../bullmq-noop';
import { CpuMeter, pidsWhoseCommandHas } from '../process-cpu';
import { bareExchanges, startReceiver, type Receiver } from './endpoint-processes';
import { limiter, percentile } from '../concurrency';

const DATABASE = 'numbers_bench_deliveries';
const REDIS_PREFIX = '{numbers-bench-deliveries}';
const EVENTS = ['whatsapp.number.suspended', 'whatsapp.number.reactivated'];
const GOAL_RATIO = 0.5;
const BARE_WARM_UP = 2000;
const NOOP_JOBS = 10_000;

interface Options {
  events: number;
  warmUp: number;
  producers: number;
  pacedSeconds: number;
  bareRequests: number;
  /** WEBHOOK_ENDPOINT_MAX_IN_FLIGHT for the delivery worker; null: the configured one. */
  endpointMaxInFlight: string | null;
  cpuProf: string | null;
}

function options(args: string[]): Options {
  const { values } = parseArgs({
    args,
    options: {
      events: { type: 'string', default: '5000' },
      'warm-up': { type: 'string', default: '500' },
      producers: { type: 'string', default: '8' },
      'paced-seconds': { type: 'string', default: '10' },
      'bare-requests': { type: 'string', default: '20000' },
      'endpoint-max-in-flight': { type: 'string' },
      'cpu-prof': { type: 'string' },
    },
  });
  const int = (name: string, value: string | undefined, min: number) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}`);
    return n;
  };
  return {
    events: int('events', values.events, 1),
    warmUp: int('warm-up', values['warm-up'], 0),
    producers: int('producers', values.producers, 1),
    pacedSeconds: int('paced-seconds', values['paced-seconds'], 0),
    bareRequests: int('bare-requests', values['bare-requests'], 1),
    endpointMaxInFlight: values['endpoint-max-in-flight'] === undefined ? null : String(int('endpoint-max-in-flight', values['endpoint-max-in-flight'], 1)),
    cpuProf: values['cpu-prof'] ?? null,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What one batch of events came to: when each was born (its `timestamp`) and first arrived. */
interface Arrived {
  /** The events, in the order the changes were made. */
  ids: string[];
  /** Event timestamps (ms), in the order the changes were made. */
  changedAt: number[];
  /** First arrival at the receiver (ms) of each event, same order. */
  arrivedAt: number[];
}

/** Active numbers of the account, inserted in bulk (the state before the measured changes). */
async function seedActiveNumbers(db: Database, accountId: string, profileId: string, from: number, count: number): Promise<PhoneNumber[]> {
  const rows: PhoneNumber[] = [];
  for (let i = 0; i < count; i += 1000) {
    const chunk = Array.from({ length: Math.min(1000, count - i) }, (_, j) => ({
      id: newId(),
      accountId,
      profileId,
      phoneNumber: `+1415${String(from + i + j).padStart(7, '0')}`,
      country: 'US',
      status: 'active' as const,
      monthlyCents: 300,
    }));
    rows.push(...(await db.insertInto('phoneNumbers').values(chunk).returningAll().execute()));
  }
  return rows;
}

/**
 * `npm run bench -- deliveries [--events N] [--warm-up W] [--producers P] [--paced-seconds S] [--bare-requests B] [--endpoint-max-in-flight M] [--cpu-prof DIR]`:
 * customer webhook deliveries to an endpoint that answers at once (a receiver in another Node
 * process), through the whole path: each event is born with a number's state change
 * (`payment_failed` applied through `NumberLifecycle.apply`, P at a time: `whatsapp.number.suspended`),
 * relayed from the outbox to the `deliveries` queue and delivered by the delivery worker to the
 * account's one subscribed endpoint. After W events to warm up, a burst of N in two parts: the
 * N state changes with the `deliveries` queue paused (changes/s, and their CPU with the relay's),
 * then the queue resumed with the N deliveries waiting (deliveries/s until the last arrival, and
 * their CPU, process by process). Then S seconds of state changes paced at half the rate at which
 * the machine does both, each timed from its change (the event's `timestamp`) to its arrival:
 * p50/p99 when the system keeps up (in a burst the latency is only the backlog). Then, the
 * delivery worker stopped, B bare HTTP exchanges between two Node processes (node:http,
 * keep-alive, WEBHOOK_DELIVERY_CONCURRENCY in flight, a delivery's body size) to the same
 * receiver, the ratio of the two rates, and BullMQ's rate for no-op jobs at that concurrency on
 * the same Redis (every delivery is a job). `M` overrides WEBHOOK_ENDPOINT_MAX_IN_FLIGHT (a burst
 * to one endpoint is what that limit holds back).
 */
export async function runDeliveriesBenchmark(args: string[]): Promise<void> {
  const opts = options(args);
  const nodeArgs = opts.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProf}`] : [];
  const base = localEnv();
  const admin = new URL(base['DATABASE_URL']);
  admin.pathname = '/postgres';

  process.stdout.write('building the delivery worker and preparing the benchmark database...\n');
  await ensureBuilt(['delivery-worker']);
  const databaseUrl = await resetBenchDatabase(admin.toString(), DATABASE);
  await flushBenchPrefix(base['REDIS_URL'], REDIS_PREFIX);
  const env: Record<string, string> = {
    ...base,
    DATABASE_URL: databaseUrl,
    REDIS_PREFIX,
    LOG_LEVEL: 'warn',
    WEBHOOKS_ALLOW_LOOPBACK: 'true',
    WEBHOOKS_REQUIRE_HTTPS: 'false',
    ...(opts.endpointMaxInFlight ? { WEBHOOK_ENDPOINT_MAX_IN_FLIGHT: opts.endpointMaxInFlight } : {}),
  };
  const config = AppConfig.fromEnv(env);
  const concurrency = config.deliveryConcurrency;

  let receiver: Receiver | undefined;
  let worker: StartedProcess | undefined;
  let probe: Redis | undefined;
  let deliveriesQueue: Queue | undefined;
  const db = new Database(config);
  try {
    receiver = await startReceiver();
    const endpointReceiver = receiver;
    worker = await startProcess({ name: 'delivery-worker', script: 'dist/apps/delivery-worker/main.js', env, nodeArgs });
    probe = new Redis(env['REDIS_URL'], { maxRetriesPerRequest: null });
    const queue = new Queue('deliveries', { connection: probe, prefix: REDIS_PREFIX });
    deliveriesQueue = queue;
    // At LOG_LEVEL=warn the worker does not print "ready": wait for its BullMQ worker instead.
    await eventually('delivery worker ready', async () => (await queue.getWorkersCount()) > 0, 60_000, 200);

    const account = await createTestAccount(db, { name: 'Bench deliveries', planCode: 'scale' });
    const endpointId = newId();
    await new WebhookEndpointRepository(db).create({
      id: endpointId,
      accountId: account.accountId,
      name: 'bench',
      url: `${receiver.url}/hook`,
      secretSealed: new WebhookSecretSealer(config).seal('whsec_bench', endpointId),
      events: EVENTS,
      isActive: true,
      customHeaders: {},
    });
    let seeded = 0;
    const seed = (count: number) => {
      seeded += count;
      return seedActiveNumbers(db, account.accountId, account.profileId, seeded - count, count);
    };
    const lifecycle = new NumberLifecycle(db, new PhoneNumberRecords(db));
    const suspend = async (number: PhoneNumber) => {
      const result = await lifecycle.apply(number, 'payment_failed', { cause: 'bench', actor: 'stripe', patch: { suspensionReason: 'bench' } });
      if (!result.applied) throw new Error(`payment_failed did not apply to ${number.id}`);
    };
    /** Waits until the receiver has had every event so far; then when each event after the first `skip` was born and first arrived. */
    const arrivedAfter = async (skip: number): Promise<Arrived> => {
      await eventually('every event delivered', async () => (await endpointReceiver.count()) >= seeded, 300_000, 100);
      const first = new Map<string, number>();
      for (const [id, at] of await endpointReceiver.arrivals()) if (!first.has(id)) first.set(id, at);
      const events = await db.selectFrom('customerEvents').select(['id', 'createdAt']).orderBy('createdAt').orderBy('id').offset(skip).execute();
      return { ids: events.map((e) => e.id), changedAt: events.map((e) => e.createdAt.getTime()), arrivedAt: events.map((e) => first.get(e.id) as number) };
    };

    if (opts.warmUp > 0) {
      process.stdout.write(`warming up with ${opts.warmUp} events...\n`);
      const limit = limiter(opts.producers);
      await Promise.all((await seed(opts.warmUp)).map((n) => limit(() => suspend(n))));
      await arrivedAfter(0);
    }

    const databaseParts = [
      { name: 'postgres', pids: () => pidsWhoseCommandHas('postgres: ', ` ${DATABASE} `) },
      { name: 'redis', pids: () => pidsWhoseCommandHas('redis-server') },
    ];
    const workerPart = { name: 'delivery-worker', pids: () => [worker?.pid ?? 0] };
    const burstNumbers = await seed(opts.events);
    process.stdout.write(`burst: ${opts.events} state changes, ${opts.producers} at a time, relayed to the paused queue...\n`);
    await queue.pause();
    const changesMeter = new CpuMeter([...databaseParts, workerPart]);
    changesMeter.start();
    const producerCpu = process.cpuUsage();
    const limit = limiter(opts.producers);
    const produced = performance.now();
    await Promise.all(burstNumbers.map((n) => limit(() => suspend(n))));
    const changesPerSecond = opts.events / ((performance.now() - produced) / 1000);
    await eventually('every delivery queued', async () => (await queue.getWaitingCount()) >= opts.events, 120_000, 100);
    const changesCpu = changesMeter.stop();
    const producerSpent = process.cpuUsage(producerCpu);
    changesCpu.set('bench (producer)', (producerSpent.user + producerSpent.system) / 1000);

    process.stdout.write(`draining: ${opts.events} deliveries...\n`);
    const deliveriesMeter = new CpuMeter([workerPart, { name: 'receiver', pids: () => [endpointReceiver.pid] }, ...databaseParts]);
    deliveriesMeter.start();
    const resumedAt = Date.now();
    await queue.resume();
    const burst = await arrivedAfter(opts.warmUp);
    const deliveriesCpu = deliveriesMeter.stop();
    const lastArrival = Math.max(...burst.arrivedAt);
    const perSecond = opts.events / ((lastArrival - resumedAt) / 1000);
    // Every time a worker took the job: its one attempt, and each deferral (its endpoint was busy).
    const burstIds = new Set(burst.ids);
    const burstJobs = (await queue.getJobs(['completed'])).filter((job) => burstIds.has((job.data as { eventId: string }).eventId));
    const jobsTaken = burstJobs.reduce((sum, job) => sum + job.attemptsStarted, 0) / burstJobs.length;

    let paced: { rate: number; latency: number[] } | null = null;
    if (opts.pacedSeconds > 0) {
      // Changes and deliveries share the machine: half of the rate at which it does both.
      const rate = Math.max(1, Math.floor(1 / (2 * (1 / changesPerSecond + 1 / perSecond))));
      const count = rate * opts.pacedSeconds;
      process.stdout.write(`paced: ${count} state changes at ${rate}/s...\n`);
      const pacedNumbers = await seed(count);
      const started = performance.now();
      const changes = pacedNumbers.map(async (n, i) => {
        await sleep(started + (i * 1000) / rate - performance.now());
        await suspend(n);
      });
      await Promise.all(changes);
      const arrived = await arrivedAfter(opts.warmUp + opts.events);
      paced = { rate, latency: arrived.changedAt.map((at, i) => arrived.arrivedAt[i] - at).sort((a, b) => a - b) };
    }

    const sample = await db.selectFrom('customerEvents').select('payload').limit(1).executeTakeFirstOrThrow();
    const bodyBytes = Buffer.byteLength(JSON.stringify(sample.payload));
    await worker.stop();
    worker = undefined;

    process.stdout.write(`bare HTTP: ${opts.bareRequests} exchanges, ${concurrency} in flight...\n`);
    const bareMeter = new CpuMeter([{ name: 'receiver', pids: () => [endpointReceiver.pid] }]);
    const bare = bareExchanges(`${receiver.url}/bare`, BARE_WARM_UP, opts.bareRequests, concurrency, bodyBytes);
    await bare.measuring;
    bareMeter.start();
    const bareResult = await bare.result;
    const bareReceiverMs = bareMeter.stop().get('receiver') ?? 0;
    process.stdout.write(`BullMQ no-op jobs: ${NOOP_JOBS}, ${concurrency} at a time...\n`);
    const noopJobs = await noopJobsPerSecond(base['REDIS_URL'], concurrency, NOOP_JOBS);

    const ms = (values: number[], p: number) => percentile(values, p).toFixed(0);
    const perEvent = (cpu: Map<string, number>) => {
      const total = [...cpu.values()].reduce((a, b) => a + b, 0);
      return `${(total / opts.events).toFixed(2)} ms: ${[...cpu].map(([name, spent]) => `${name} ${(spent / opts.events).toFixed(2)}`).join(', ')}`;
    };
    process.stdout.write(`
deliveries: ${opts.events} events (a number's state change each) to one endpoint that answers 200 at once, ${concurrency} deliveries at a time, at most ${config.endpointMaxInFlight} to the endpoint
  state changes                  ${changesPerSecond.toFixed(0)}/s   (${opts.producers} at a time through NumberLifecycle.apply, the queue paused)
  CPU per state change, relayed  ${perEvent(changesCpu)}
  deliveries/s                   ${perSecond.toFixed(0)}   (the queue resumed with ${opts.events} deliveries waiting, until the last arrived)
  CPU per delivery               ${perEvent(deliveriesCpu)}
  jobs taken per delivery        ${jobsTaken.toFixed(2)}   (BullMQ's attempts started, each deferral included: the endpoint's slots were taken)
${paced ? `  change to delivery            p50 ${ms(paced.latency, 50)} ms, p99 ${ms(paced.latency, 99)} ms, max ${ms(paced.latency, 100)} ms   (${paced.latency.length} state changes at ${paced.rate}/s: half of 1 / (1 / changes/s + 1 / deliveries/s))\n` : ''}  bare HTTP exchanges/s          ${bareResult.perSecond.toFixed(0)}   (node:http keep-alive client process to the same receiver, ${concurrency} in flight, ${bodyBytes}-byte bodies)
  CPU per bare exchange          ${((bareResult.cpuMs + bareReceiverMs) / opts.bareRequests).toFixed(2)} ms: client ${(bareResult.cpuMs / opts.bareRequests).toFixed(2)}, receiver ${(bareReceiverMs / opts.bareRequests).toFixed(2)}
  BullMQ no-op jobs/s            ${noopJobs.toFixed(0)}   (${NOOP_JOBS} jobs, concurrency ${concurrency}, same Redis: every delivery is a job)
  deliveries/s / no-op jobs/s    ${(perSecond / noopJobs).toFixed(2)}
  deliveries/s / bare exchanges/s = ${(perSecond / bareResult.perSecond).toFixed(2)}   (goal >= ${GOAL_RATIO})
`);
  } catch (error) {
    if (worker) process.stderr.write(`--- ${worker.name}\n${worker.logs()}\n`);
    throw error;
  } finally {
    await worker?.stop();
    await deliveriesQueue?.close();
    probe?.disconnect();
    receiver?.stop();
    await db.destroy();
    await flushBenchPrefix(base['REDIS_URL'], REDIS_PREFIX);
  }
}
