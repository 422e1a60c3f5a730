import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from '@numbers/config';
import { Database } from '@numbers/persistence';
import { ensureBuilt, eventually } from '@numbers/test-support';
import { CHAOS_SETTINGS } from './chaos-settings';
import { checkEndState, type Finding } from './checks/end-state-checks';
import { waitForQuiescence } from './checks/quiescence';
import { runFaultSchedule } from './faults/fault-schedule';
import { settleProviderRecoveries } from './faults/provider-recovery';
import { APPS, startCluster, type Cluster } from './infra/cluster';
import { migrate } from './infra/migrate';
import { startPostgresServer, type PostgresServer } from './infra/postgres-server';
import { startRedisServer, type RedisServer } from './infra/redis-server';
import { ApiTraffic } from './load/api-traffic';
import type { LoadContext } from './load/load-context';
import { createCustomers, runLoad } from './load/workload';
import type { ChaosProfile } from './profiles';
import type { ChaosPhase, ChaosResult } from './report';

export interface ChaosRunOptions {
  /** Where each process's log goes (one file per replica). */
  logDir: string;
  /** Progress lines. */
  say?: (line: string) => void;
}

/** A build of every app on a loaded machine took ~5 minutes in session 7, ensureBuilt's default limit. */
const BUILD_TIMEOUT_MS = 15 * 60_000;

/** How long the checks are repeated while only the reconciler's next run is missing. */
const CHECKS_SETTLE_MS = 15_000;

/**
 * A whole chaos run: its own PostgreSQL and Redis, the cluster, the load under the fault
 * schedule, quiescence, the checks. Everything it started is stopped and deleted before it
 * returns or throws.
 */
export async function runChaos(profile: ChaosProfile, { logDir, say = () => undefined }: ChaosRunOptions): Promise<ChaosResult> {
  const started = Date.now();
  const phases: Partial<Record<ChaosPhase, number>> = {};
  // Times one phase of the run (the report prints where the wall time went).
  const timed = async <T>(name: ChaosPhase, work: () => Promise<T>): Promise<T> => {
    const from = Date.now();
    try {
      return await work();
    } finally {
      phases[name] = (Date.now() - from) / 1000;
    }
  };
  let postgres: PostgresServer | undefined;
  let redis: RedisServer | undefined;
  let cluster: Cluster | undefined;
  let db: Database | undefined;
  let result: Omit<ChaosResult, 'seconds' | 'phases'>;
  try {
    say("starting PostgreSQL and Redis of the run and migrating, while the apps build (a copy from Nx's cache when unchanged)");
    const [pg, rd] = await timed('infrastructure and build', async () => {
      const infrastructure = (async () => {
        const servers = await Promise.all([startPostgresServer(join(logDir, 'postgres.log')), startRedisServer()]);
        [postgres, redis] = servers;
        await migrate(servers[0].url);
        return servers;
      })();
      // Both settle before either failure is thrown, so `finally` stops whatever was started.
      const [servers, build] = await Promise.allSettled([infrastructure, ensureBuilt([...APPS], { timeoutMs: BUILD_TIMEOUT_MS })]);
      if (servers.status === 'rejected') throw servers.reason;
      if (build.status === 'rejected') throw build.reason;
      return servers.value;
    });
    say('starting the simulator and two replicas of every process');
    cluster = await timed('process start-up', () => startCluster({ databaseUrl: pg.url, redisUrl: rd.url, settings: CHAOS_SETTINGS, logDir }));
    const running = cluster;
    const { sim } = running;
    db = new Database(AppConfig.fromEnv(running.env));
    const database = db;
    const traffic = new ApiTraffic();
    const context: LoadContext = { db, sim, gatewayUrls: running.gatewayUrls, traffic, giveUpMs: 120_000, waitMs: profile.quiescenceTimeoutMs + profile.faultWindowMs, problems: [] };

    const customers = await timed('accounts', async () => {
      // Calls connect and end by themselves; every KYC review is approved after a second.
      await sim.put('/_sim/telnyx/calls/policy', { outcome: 'answered', ringMs: 200, talkMs: 500 });
      await sim.put('/_sim/telnyx/requirement-groups/review-policy', { delayMs: 1000 });
      await sim.post('/_sim/telnyx/requirement-groups/next-review', { verdict: 'approve', times: 1000 });
      return createCustomers(context, profile);
    });

    const probeKey = customers.calling.account.apiKey;
    const gateways = running.gatewayUrls;
    // Served: a gateway answers, and none that is up answers anything but 200 (one may be down, killed).
    const untilApiServes = () =>
      eventually(
        'the API serving',
        async () => {
          const answers = await Promise.all(gateways.map((url) => listStatus(url, probeKey)));
          return answers.includes(200) && answers.every((status) => status === 200 || status === 'down');
        },
        120_000,
        100,
      ).then(() => undefined);

    say(`load and faults for ${profile.faultWindowMs / 1000} s`);
    const targets = { cluster: running, postgres: pg, redis: rd, untilApiServes };
    const [faults, load] = await timed('load and faults', () => Promise.all([runFaultSchedule(targets, profile, say), runLoad(context, profile, customers)]));
    const plannedExits = faults.filter((f) => f.kind === 'kill -9 a process').length + faults.filter((f) => f.kind === 'roll the gateways').length * 2;

    say('waiting for quiescence');
    const stillInFlight = await timed('quiescence', () => waitForQuiescence(database, sim, profile.quiescenceTimeoutMs));
    say('checking');
    let findings: Finding[] = [];
    await timed('checks', async () => {
      await eventually('the checks', async () => (findings = await checkEndState(database, sim, load)).length === 0, CHECKS_SETTLE_MS, 1000).catch(() => undefined);
      const state = await sim.get<{ requests: Record<string, { at: string; status: number; fault?: string | null }[]> }>('/_sim/state');
      // Beside the process logs: what each provider was asked, for a failure's post-mortem.
      writeFileSync(join(logDir, 'simulator-state.json'), JSON.stringify(state));
      settleProviderRecoveries(faults, state.requests);
    });

    const countStates = async (table: 'phoneNumbers' | 'calls') => {
      const rows = await database.selectFrom(table).select(['status']).execute();
      const counts: Record<string, number> = {};
      for (const { status } of rows) counts[status] = (counts[status] ?? 0) + 1;
      return counts;
    };
    result = {
      profile,
      faults,
      load,
      traffic,
      unplannedExits: Math.max(0, running.replicas.reduce((sum, r) => sum + r.exits, 0) - plannedExits),
      quiescenceSeconds: phases.quiescence ?? 0,
      stillInFlight,
      findings,
      problems: context.problems,
      numberStates: await countStates('phoneNumbers'),
      callStates: await countStates('calls'),
    };
  } finally {
    say('stopping');
    await timed('stop', async () => {
      await cluster?.stop().catch(() => undefined);
      await db?.destroy().catch(() => undefined);
      await Promise.all([redis?.destroy(), postgres?.destroy()]);
    });
  }
  return { ...result, phases, seconds: (Date.now() - started) / 1000 };
}

async function listStatus(gateway: string, apiKey: string): Promise<number | 'down'> {
  try {
    const response = await fetch(`${gateway}/v1/whatsapp/phone-numbers`, { headers: { authorization: `Bearer ${apiKey}` }, signal: AbortSignal.timeout(5000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 'down';
  }
}
