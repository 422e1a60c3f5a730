import { setTimeout as sleep } from 'node:timers/promises';
import type { Cluster, Replica } from '../infra/cluster';
import type { PostgresServer } from '../infra/postgres-server';
import type { RedisServer } from '../infra/redis-server';
import type { ChaosProfile } from '../profiles';
import type { FaultKind, InjectedFault } from './fault-log';

export interface FaultTargets {
  cluster: Cluster;
  postgres: PostgresServer;
  redis: RedisServer;
  /** Resolves once the API serves requests again on every gateway (PostgreSQL and Redis included). */
  untilApiServes: () => Promise<void>;
}

type Provider = 'stripe' | 'telnyx' | 'meta';

/** How long Redis and PostgreSQL stay down. */
const REDIS_DOWN_MS = 1500;
const POSTGRES_DOWN_MS = 3000;
const RESTART_TIMEOUT_MS = 300_000;

/**
 * Injects faults for `profile.faultWindowMs`: a random replica killed with SIGKILL every
 * `killEveryMs` (its supervisor starts it again; never both replicas of one app at once), and, one after another through the window,
 * Redis killed and started from its AOF, PostgreSQL stopped (immediate) and started, each
 * provider answering 500 or hanging for `providerFaultMs`, and the gateways rolled one at a time.
 * Resolves with every fault once the window is over and each has recovered (or timed out).
 */
export async function runFaultSchedule(targets: FaultTargets, profile: ChaosProfile, say: (line: string) => void): Promise<InjectedFault[]> {
  const faults: InjectedFault[] = [];
  const recoveries: Promise<void>[] = [];
  const started = Date.now();
  const over = () => Date.now() - started >= profile.faultWindowMs;
  const busy = new Set<Replica>();

  const record = (kind: FaultKind, target: string): InjectedFault => {
    const fault: InjectedFault = { kind, target, startedAt: Date.now() };
    faults.push(fault);
    say(`  ${((fault.startedAt - started) / 1000).toFixed(1)} s: ${kind} (${target})`);
    return fault;
  };
  const recovered = (fault: InjectedFault) => {
    fault.recoveredMs = Date.now() - fault.startedAt;
    say(`    ${fault.kind} (${fault.target}): recovered in ${(fault.recoveredMs / 1000).toFixed(1)} s`);
  };

  const killOne = () => {
    // One replica of each app keeps serving: a replica is killed only while its sibling runs.
    const candidates = targets.cluster.replicas.filter((r) => !busy.has(r) && !targets.cluster.replicas.some((other) => other.app === r.app && busy.has(other)));
    const replica = candidates[Math.floor(Math.random() * candidates.length)];
    if (!replica) return;
    busy.add(replica);
    const { pid } = replica.process.current();
    const fault = record('kill -9 a process', replica.name);
    replica.process.current().kill('SIGKILL');
    recoveries.push(
      targets.cluster
        .restartedFrom(replica, pid, RESTART_TIMEOUT_MS)
        .then(() => recovered(fault))
        .catch(() => undefined)
        .finally(() => busy.delete(replica)),
    );
  };

  const rollGateways = async () => {
    const fault = record('roll the gateways', 'api-gateway');
    for (const replica of targets.cluster.replicas.filter((r) => r.app === 'api-gateway')) {
      while (busy.has(replica)) await sleep(100);
      busy.add(replica);
      try {
        const { pid } = replica.process.current();
        replica.process.current().kill('SIGTERM');
        await targets.cluster.restartedFrom(replica, pid, RESTART_TIMEOUT_MS);
      } finally {
        busy.delete(replica);
      }
    }
    recovered(fault);
  };

  const restartRedis = async () => {
    const fault = record('kill -9 Redis', 'redis-server');
    await targets.redis.kill9();
    await sleep(REDIS_DOWN_MS);
    await targets.redis.start();
    fault.endedAt = Date.now();
    await targets.untilApiServes();
    recovered(fault);
  };

  const restartPostgres = async () => {
    const fault = record('stop PostgreSQL (immediate)', 'postgres');
    await targets.postgres.stopImmediate();
    await sleep(POSTGRES_DOWN_MS);
    await targets.postgres.start();
    fault.endedAt = Date.now();
    await targets.untilApiServes();
    recovered(fault);
  };

  const providerFault = (provider: Provider, action: 'fail' | 'delay') => async () => {
    const fault = record(action === 'fail' ? 'provider answers 500' : 'provider hangs', provider);
    // A hang outlasts the window: calls made in it answer late, after their caller may have given up.
    const rule = action === 'fail' ? { status: 500 } : { delayMs: profile.providerFaultMs + 5000 };
    await targets.cluster.sim.post('/_sim/faults', { provider, method: '*', path: '*', action, times: 10_000, ...rule });
    await sleep(profile.providerFaultMs);
    await targets.cluster.sim.delete('/_sim/faults');
    fault.endedAt = Date.now();
  };

  // The one-off faults, spread over the window, one at a time; the full profile repeats the
  // infrastructure faults and tries each provider both ways.
  const oneOffs: (() => Promise<void>)[] = [restartRedis, providerFault('stripe', 'fail'), restartPostgres, providerFault('telnyx', 'delay'), rollGateways, providerFault('meta', 'fail')];
  if (profile.name === 'full') {
    oneOffs.push(providerFault('stripe', 'delay'), restartRedis, providerFault('telnyx', 'fail'), restartPostgres, providerFault('meta', 'delay'), rollGateways);
  }
  const spacing = profile.faultWindowMs / (oneOffs.length + 1);
  const oneOffChain = (async () => {
    for (const [index, fault] of oneOffs.entries()) {
      const due = started + spacing * (index + 1);
      if (Date.now() < due) await sleep(due - Date.now());
      await fault();
    }
  })();

  while (!over()) {
    await sleep(profile.killEveryMs);
    if (!over()) killOne();
  }
  await oneOffChain;
  await Promise.all(recoveries);
  return faults;
}
