import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Database } from '@numbers/persistence';
import { countOf, eventually, type SimulatorProcess } from '@numbers/test-support';
import { httpNoop } from '../http-noop';
import { CpuMeter, type CpuPart } from '../process-cpu';
import { percentile } from '../concurrency';
import { offerAtRate } from './open-loop';

/** What a calls benchmark run set up: the gateway, the (number, consumer) pairs allowed to call, the simulator. */
export interface CallsBench {
  baseUrl: string;
  headers: Record<string, string>;
  pairs: { numberId: string; to: string }[];
  database: Database;
  sim: SimulatorProcess;
  redisUrl: string;
  redisPrefix: string;
  /** The processes whose CPU a call costs: the gateway, the worker, the simulator, PostgreSQL, Redis. */
  cpuParts: CpuPart[];
}

export interface StepOptions {
  seconds: number;
  startRate: number;
  maxRate: number;
}

const GOAL_RATIO = 0.5;
const DIALED_WITHIN_MS = 1_000;
const OVERLOAD_LATE_MS = 2_000;
/** A step passes with at most this share of its calls refused: else admission, not the worker, kept its p99 down. */
const MAX_REFUSED_SHARE = 0.01;
const NOOP_HTTP_REQUESTS = 5_000;
const NOOP_HTTP_CONCURRENCY = 32;

interface CallAnswer {
  status: number;
  retryAfter: string | null;
  callId: string | null;
}

interface Step {
  rate: number;
  offered: number;
  accepted: number;
  /** 503 with Retry-After. */
  refused: number;
  /** Anything else: another status, or no answer. */
  other: number;
  /** What the others were: `status code` or the error's message, with how many. */
  otherKinds: Map<string, number>;
  /** Accepted-to-dialed of each accepted call dialed, ms, ascending. */
  delaysMs: number[];
  undialed: number;
}

/** The simulator's record of the dials: our call id is the dial's command id. */
interface SimulatorCalls {
  calls: { commandId: string | null; startedAt: string; direction: string }[];
}

/** The simulator's uncapped counts (its request and webhook logs keep only the newest entries). */
interface SimulatorTraffic {
  totals: { requests: Record<string, number>; webhookAttempts: number };
}

const p99 = (step: Step) => percentile(step.delaysMs, 99);
const passes = (step: Step) => step.other === 0 && step.undialed === 0 && step.refused <= Math.ceil(step.offered * MAX_REFUSED_SHARE) && p99(step) < DIALED_WITHIN_MS;

/**
 * Steps the offered rate of `POST /v1/whatsapp/calls` (open loop, `seconds` a step, the system
 * quiet again between steps) up by half from `startRate` until a step fails (accepted-to-dialed
 * p99 >= 1 s, or over 1 % refused), then halves the gap twice; "dialed" is the carrier's answer to
 * our dial (the simulator's record of it, against the call row's `created_at`). Prints the highest
 * rate that passed beside the bare floor (bare HTTP exchanges/s over HTTP exchanges per call, both
 * measured in this run) and their ratio; then offers twice that rate and counts the calls dialed
 * later than 2 s and those refused with Retry-After.
 */
export async function runStepSearch(bench: CallsBench, opts: StepOptions): Promise<void> {
  process.stdout.write(`measuring bare HTTP exchanges (${NOOP_HTTP_REQUESTS}, ${NOOP_HTTP_CONCURRENCY} in flight)...\n`);
  const { perSecond: bare } = await httpNoop(NOOP_HTTP_REQUESTS, NOOP_HTTP_CONCURRENCY);
  const probe = new Redis(bench.redisUrl, { maxRetriesPerRequest: null });
  const calling = new Queue('calling', { connection: probe, prefix: bench.redisPrefix });
  try {
    const quiet = () =>
      eventually(
        'the calling queue empty',
        async () => {
          const counts = await calling.getJobCounts('waiting', 'prioritized', 'active');
          return counts['waiting'] + counts['prioritized'] + counts['active'] === 0 && (await countOf(bench.database.selectFrom('outbox').where('publishedAt', 'is', null))) === 0;
        },
        300_000,
        200,
      );
    const run = async (rate: number): Promise<Step> => {
      await quiet();
      const step = await offerStep(bench, rate, opts.seconds);
      process.stdout.write(`  ${stepLine(step)}\n`);
      return step;
    };

    process.stdout.write(`\ncalls: open-loop offering, ${opts.seconds} s a step, ${bench.pairs.length} (number, consumer) pairs; the simulated carrier answers at once\n`);
    process.stdout.write(`  ${'rate/s'.padStart(6)} ${'offered'.padStart(7)} ${'accepted'.padStart(8)} ${'503'.padStart(6)} ${'other'.padStart(5)}   accepted-to-dialed p50 / p99 / max ms, >2 s, not dialed\n`);
    const before = await bench.sim.get<SimulatorTraffic>('/_sim/state');
    const meter = new CpuMeter(bench.cpuParts);
    meter.start();
    let dialed = 0;
    let best: Step | null = null;
    let failedAt: number | null = null;
    for (let rate = opts.startRate; rate <= opts.maxRate; rate = Math.ceil(rate * 1.5)) {
      const step = await run(rate);
      dialed += step.delaysMs.length;
      if (!passes(step)) {
        failedAt = rate;
        break;
      }
      best = step;
    }
    for (let halvings = 0; halvings < 2 && best && failedAt !== null && failedAt - best.rate > 1; halvings++) {
      const step = await run(Math.round((best.rate + failedAt) / 2));
      dialed += step.delaysMs.length;
      if (passes(step)) best = step;
      else failedAt = step.rate;
    }
    await quiet();
    const cpuMs = meter.stop();
    const after = await bench.sim.get<SimulatorTraffic>('/_sim/state');
    const providerExchanges = exchangesOf(after) - exchangesOf(before);
    // The customer's request is an exchange too.
    const perCall = 1 + providerExchanges / Math.max(1, dialed);
    const floor = bare / perCall;

    const rate = best?.rate ?? 0;
    process.stdout.write(`
  highest rate with p99 < ${DIALED_WITHIN_MS / 1000} s    ${best ? `${rate} calls/s` : `none (below ${opts.startRate}/s)`}${failedAt === null ? `   (the last step, ${opts.maxRate}/s at most, passed)` : `   (${failedAt}/s failed)`}
  bare floor                     ${floor.toFixed(1)} calls/s   (bare HTTP exchanges/s ${bare.toFixed(0)} / ${perCall.toFixed(2)} exchanges per call: the request, then ${(perCall - 1).toFixed(2)} with the simulator)
  ratio                          ${(rate / floor).toFixed(2)}   (goal >= ${GOAL_RATIO})
  CPU per call                   ${cpuPerCall(cpuMs, dialed)}   (over the search's ${dialed} calls, refused ones included in the gateway's)
`);
    if (!best) return;

    process.stdout.write(`\nat twice that rate, ${2 * rate}/s for ${opts.seconds} s:\n`);
    const overload = await run(2 * rate);
    const late = overload.delaysMs.filter((ms) => ms > OVERLOAD_LATE_MS).length + overload.undialed;
    process.stdout.write(`
  dialed later than ${OVERLOAD_LATE_MS / 1000} s          ${late}   (goal 0; of ${overload.accepted} accepted)
  refused with Retry-After       ${overload.refused}   (${((100 * overload.refused) / Math.max(1, overload.offered)).toFixed(0)} % of ${overload.offered} offered; other failures ${overload.other})
`);
  } finally {
    await calling.close();
    probe.disconnect();
  }
}

async function offerStep(bench: CallsBench, rate: number, seconds: number): Promise<Step> {
  const url = `${bench.baseUrl}/v1/whatsapp/calls`;
  const offered = await offerAtRate(rate, seconds, async (i): Promise<CallAnswer> => {
    const pair = bench.pairs[i % bench.pairs.length];
    const response = await fetch(url, { method: 'POST', headers: bench.headers, body: JSON.stringify({ accountId: pair.numberId, to: pair.to }) });
    const body = (await response.json()) as { callId?: string };
    return { status: response.status, retryAfter: response.headers.get('retry-after'), callId: response.ok ? (body.callId ?? null) : null };
  });
  const answers = offered.map((o) => o.answer);
  const callIds = answers.flatMap((a) => (a instanceof Error || !a.callId ? [] : [a.callId]));
  const refused = answers.filter((a) => !(a instanceof Error) && a.status === 503 && a.retryAfter !== null).length;
  const otherKinds = new Map<string, number>();
  for (const a of answers) {
    if (!(a instanceof Error) && (a.callId || (a.status === 503 && a.retryAfter !== null))) continue;
    const kind = a instanceof Error ? a.message : `status ${a.status}`;
    otherKinds.set(kind, (otherKinds.get(kind) ?? 0) + 1);
  }

  const stillToDial = () => countOf(bench.database.selectFrom('calls').where('id', 'in', callIds).where('status', '=', 'dialing').where('telnyxCallControlId', 'is', null));
  if (callIds.length > 0) await eventually('every accepted call dialed', async () => (await stillToDial()) === 0, 300_000, 250).catch(() => undefined);
  const created = callIds.length === 0 ? [] : await bench.database.selectFrom('calls').select(['id', 'createdAt']).where('id', 'in', callIds).execute();
  const { calls } = await bench.sim.get<SimulatorCalls>('/_sim/telnyx/calls');
  const dialedAt = new Map(calls.flatMap((c) => (c.direction === 'outgoing' && c.commandId ? [[c.commandId, Date.parse(c.startedAt)] as const] : [])));
  const delaysMs: number[] = [];
  for (const call of created) {
    const at = dialedAt.get(call.id);
    if (at !== undefined) delaysMs.push(at - call.createdAt.getTime());
  }
  delaysMs.sort((a, b) => a - b);
  return {
    rate,
    offered: offered.length,
    accepted: callIds.length,
    refused,
    other: offered.length - callIds.length - refused,
    otherKinds,
    delaysMs,
    undialed: callIds.length - delaysMs.length,
  };
}

function cpuPerCall(cpuMs: Map<string, number>, calls: number): string {
  const per = (ms: number) => (ms / Math.max(1, calls)).toFixed(2);
  const total = [...cpuMs.values()].reduce((sum, ms) => sum + ms, 0);
  return `${per(total)} ms (${[...cpuMs].map(([name, ms]) => `${name} ${per(ms)}`).join(', ')})`;
}

function exchangesOf(traffic: SimulatorTraffic): number {
  return Object.values(traffic.totals.requests).reduce((sum, n) => sum + n, 0) + traffic.totals.webhookAttempts;
}

function stepLine(step: Step): string {
  const ms = (p: number) => percentile(step.delaysMs, p).toFixed(0);
  const late = step.delaysMs.filter((d) => d > OVERLOAD_LATE_MS).length;
  return `${String(step.rate).padStart(6)} ${String(step.offered).padStart(7)} ${String(step.accepted).padStart(8)} ${String(step.refused).padStart(6)} ${String(step.other).padStart(5)}   ${ms(50)} / ${ms(99)} / ${ms(100)}, ${late}, ${step.undialed}${passes(step) ? '' : '   (fails)'}${step.other > 0 ? `   (other: ${[...step.otherKinds].map(([kind, n]) => `${kind} x${n}`).join(', ')})` : ''}`;
}
