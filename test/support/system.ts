import { AppConfig } from '@numbers/config';
import { Database } from '@numbers/persistence';
import { createTestDatabase, ensureBuilt, flushRedisPrefix, freePort, startProcess, startSimulatorProcess, testRedisPrefix, type RedisClusterProcess, type SimulatorProcess, type StartedProcess, type StartProcessOptions, type TestDatabase } from '@numbers/test-support';

/** A test database, the simulator on it, the settings the apps run with, and the processes started on them. */
interface Base {
  database: TestDatabase;
  sim: SimulatorProcess;
  /** The environment every process runs with. */
  env: Record<string, string>;
  config: AppConfig;
  /** The system's database, for what a test reads and arranges there. */
  db: Database;
  /** Every process started, replicas included. */
  processes: StartedProcess[];
  /** Where each process (the first of each, with `replicas`) serves /metrics and /health/*: the gateway's base URL, each worker's own listener. */
  metricsUrls: Record<string, string>;
  /** Starts a worker on the same settings, its metrics on a port of its own (the same port again when a test starts one it stopped or killed); stop() stops it too. */
  startWorker(name: SystemWorker): Promise<StartedProcess>;
  /** Stops the processes, then the simulator; empties the Redis prefix and drops the database. */
  stop(): Promise<void>;
}

export type SystemWorker = 'provisioning-worker' | 'billing-worker' | 'delivery-worker' | 'calling-worker';

/** The built simulator, gateway, provisioning worker and billing worker (and the delivery and calling workers, when asked; `replicas` of each but the simulator) as processes on a database and Redis prefix of their own. */
export interface System extends Base {
  /** The (first) gateway's `http://127.0.0.1:<port>`: where the simulator's webhooks go. */
  baseUrl: string;
  /** Every gateway's base URL, the first being baseUrl (more than one with `replicas`). */
  baseUrls: string[];
  gateway: StartedProcess;
  provisioning: StartedProcess;
  billing: StartedProcess;
  /** Started with `{ deliveries: true }`: webhooks to customers. */
  delivery?: StartedProcess;
  /** Started with `{ calls: true }`: WhatsApp calling. */
  calling?: StartedProcess;
}

export interface SystemOptions {
  /** Also start the delivery worker (webhooks to customers). */
  deliveries?: boolean;
  /** Also start the calling worker (WhatsApp calls). */
  calls?: boolean;
  /** Gives each process longer to be ready than startProcess's default (loading the tracing SDK, on a busy machine). */
  readyTimeoutMs?: number;
  /** Every process on this Redis Cluster (REDIS_CLUSTER_NODES) instead of the test run's Redis; the test stops it. */
  redisCluster?: RedisClusterProcess;
  /** How many gateways and of each worker to start (1): gateways on ports of their own, the extra workers' metrics on any free port. */
  replicas?: number;
}

interface BaseOptions {
  readyTimeoutMs?: number;
  /** Leave the Redis keys at stop() (a test's own cluster goes with them). */
  keepRedis?: boolean;
}

/** The base, and how startSystem and startGateway start their processes: the `replica`th of each named `<app>-<replica>` after the first. */
interface Launchers {
  base: Base;
  startGatewayAt(port: number, replica?: number): Promise<StartedProcess>;
  startWorker(name: SystemWorker, replica?: number): Promise<StartedProcess>;
}

/** The base whose gateway (if any) listens on `gatewayPort`. */
async function startBase(gatewayPort: number, env: Record<string, string>, options: BaseOptions = {}): Promise<Launchers> {
  const database = await createTestDatabase();
  // GATEWAY_PORT moves PUBLIC_BASE_URL and the simulator's webhook target along with it.
  const sim = await startSimulatorProcess({ DATABASE_URL: database.url, REDIS_PREFIX: testRedisPrefix(), GATEWAY_PORT: String(gatewayPort) });
  const all: Record<string, string> = { ...sim.env, LOG_LEVEL: 'info', ...env };
  const config = AppConfig.fromEnv(all);
  const db = new Database(config);
  const processes: StartedProcess[] = [];
  const metricsUrls: Record<string, string> = {};
  const metricsPorts = new Map<SystemWorker, number>();
  const named = (app: string, replica: number) => (replica === 1 ? app : `${app}-${replica}`);
  const run = async (launch: StartProcessOptions) => {
    const started = await startProcess({ ...launch, readyTimeoutMs: options.readyTimeoutMs });
    processes.push(started);
    return started;
  };
  const startGatewayAt = (port: number, replica = 1) => {
    if (replica === 1) metricsUrls['api-gateway'] = `http://127.0.0.1:${port}`;
    return run({ name: named('api-gateway', replica), script: 'dist/apps/api-gateway/main.js', env: { ...all, GATEWAY_PORT: String(port) }, readyUrl: `http://127.0.0.1:${port}/health` });
  };
  const startWorker = async (name: SystemWorker, replica = 1) => {
    await ensureBuilt([name]);
    // Each worker's metrics and health listener on a port of its own (METRICS_PORT), known to the test;
    // replicas after the first on any free port (the test reads the first's).
    const metricsPort = replica === 1 ? (metricsPorts.get(name) ?? (await freePort())) : 0;
    if (replica === 1) {
      metricsPorts.set(name, metricsPort);
      metricsUrls[name] = `http://127.0.0.1:${metricsPort}`;
    }
    return run({ name: named(name, replica), script: `dist/apps/${name}/main.js`, env: { ...all, METRICS_PORT: String(metricsPort) }, readyLogLine: `${name} ready` });
  };
  const stop = async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await sim.stop();
    await db.destroy();
    if (!options.keepRedis) await flushRedisPrefix(all['REDIS_URL'], all['REDIS_PREFIX']);
    await database.drop();
  };
  const base: Base = { database, sim, env: all, config, db, processes, metricsUrls, startWorker: (name) => startWorker(name), stop };
  return { base, startGatewayAt, startWorker };
}

/** The simulator and no gateway (its webhooks go to a port nothing listens on): workers only as the test starts them (startWorker). */
export type SimulatorSystem = Base;

/** Starts the built simulator on a database and Redis prefix of its own, with `overrides` on top of its environment. */
export async function startSimulatorSystem(overrides: Record<string, string> = {}): Promise<SimulatorSystem> {
  const { base } = await startBase(await freePort(), overrides);
  return base;
}

/** The gateway beside the simulator, for tests of the API: workers only as the test starts them (startWorker). */
export interface GatewaySystem extends Base {
  baseUrl: string;
  gateway: StartedProcess;
}

/** Starts the built gateway beside the simulator, with `overrides` on top of the simulator's environment. */
export async function startGateway(overrides: Record<string, string> = {}): Promise<GatewaySystem> {
  await ensureBuilt(['provider-simulator', 'api-gateway']);
  const gatewayPort = await freePort();
  const { base, startGatewayAt } = await startBase(gatewayPort, overrides);
  try {
    const gateway = await startGatewayAt(gatewayPort);
    return { ...base, baseUrl: `http://127.0.0.1:${gatewayPort}`, gateway };
  } catch (error) {
    await base.stop();
    throw error;
  }
}

/**
 * Starts the system with `overrides` on top of the simulator's environment (quiet logs, a fast
 * outbox), as `options` say.
 */
export async function startSystem(overrides: Record<string, string> = {}, options: SystemOptions = {}): Promise<System> {
  const workers: SystemWorker[] = ['provisioning-worker', 'billing-worker', ...(options.deliveries ? (['delivery-worker'] as const) : []), ...(options.calls ? (['calling-worker'] as const) : [])];
  await ensureBuilt(['provider-simulator', 'api-gateway', ...workers]);
  const replicas = options.replicas ?? 1;
  const gatewayPorts = await Promise.all(Array.from({ length: replicas }, () => freePort()));
  const cluster: Record<string, string> = options.redisCluster ? { REDIS_CLUSTER_NODES: options.redisCluster.setting } : {};
  // A cluster is the test's own: its keys go with it.
  const { base, startGatewayAt, startWorker } = await startBase(gatewayPorts[0], { OUTBOX_POLL_MS: '50', ...cluster, ...overrides }, { readyTimeoutMs: options.readyTimeoutMs, keepRedis: Boolean(options.redisCluster) });
  const baseUrls = gatewayPorts.map((port) => `http://127.0.0.1:${port}`);
  try {
    // Replica by replica, each in the order gateway, workers: the first of each comes first.
    const copies = Array.from({ length: replicas }, (_, i) => i + 1);
    const started = await Promise.allSettled(copies.flatMap((replica) => [startGatewayAt(gatewayPorts[replica - 1], replica), ...workers.map((name) => startWorker(name, replica))]));
    const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
    const [gateway, ...firstWorkers] = started.slice(0, 1 + workers.length).flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const first = (name: SystemWorker) => firstWorkers[workers.indexOf(name)];
    const [provisioning, billing, delivery, calling] = (['provisioning-worker', 'billing-worker', 'delivery-worker', 'calling-worker'] as const).map(first);
    return { ...base, baseUrl: baseUrls[0], baseUrls, gateway, provisioning, billing, delivery, calling };
  } catch (error) {
    // Jest's afterAll has no system to stop: release here what was started.
    await base.stop();
    throw error;
  }
}

/** How the simulator delivers its webhooks: `copies` of each, in shuffled order or not. */
export async function setWebhookPolicy(sim: SimulatorProcess, policy: { copies: number; shuffle: boolean }): Promise<void> {
  const response = await fetch(`${sim.url}/_sim/webhooks/policy`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(policy) });
  expect(response.ok).toBe(true);
}
