import { AppConfig } from '@numbers/config';
import { Database } from '@numbers/persistence';
import { createTestDatabase, ensureBuilt, flushRedisPrefix, freePort, startProcess, startSimulatorProcess, testRedisPrefix, type RedisClusterProcess, type SimulatorProcess, type StartedProcess, type TestDatabase } from '@numbers/test-support';

/** The built simulator, gateway, provisioning worker and billing worker (and the delivery and calling workers, when asked; `replicas` of each but the simulator) as processes on a database and Redis prefix of their own. */
export interface System {
  database: TestDatabase;
  sim: SimulatorProcess;
  /** The environment every process runs with. */
  env: Record<string, string>;
  config: AppConfig;
  /** The system's database, for what a test reads and arranges there. */
  db: Database;
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
  /** Every process started, replicas included. */
  processes: StartedProcess[];
  /** Where each process (the first of each, with `replicas`) serves /metrics and /health/*: the gateway's base URL, each worker's own listener. */
  metricsUrls: Record<string, string>;
  /** Starts another process of a worker (after a test stopped or killed one), on the same settings and metrics port; stop() stops it too. */
  startWorker(name: SystemWorker): Promise<StartedProcess>;
  /** Stops the processes, then the simulator; empties the Redis prefix and drops the database. */
  stop(): Promise<void>;
}

export type SystemWorker = 'provisioning-worker' | 'billing-worker' | 'delivery-worker' | 'calling-worker';

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

/**
 * Starts the system with `overrides` on top of the simulator's environment (quiet logs, a fast
 * outbox), as `options` say.
 */
/** A test database, the simulator on it, and the settings the gateway at `gatewayPort` runs with. */
interface Base {
  database: TestDatabase;
  sim: SimulatorProcess;
  env: Record<string, string>;
  config: AppConfig;
  db: Database;
  /** Stops the simulator; empties the Redis prefix (unless `keepRedis`) and drops the database. */
  stopBase(keepRedis?: boolean): Promise<void>;
}

async function startBase(gatewayPort: number, env: Record<string, string>): Promise<Base> {
  const database = await createTestDatabase();
  // GATEWAY_PORT moves PUBLIC_BASE_URL and the simulator's webhook target along with it.
  const sim = await startSimulatorProcess({ DATABASE_URL: database.url, REDIS_PREFIX: testRedisPrefix(), GATEWAY_PORT: String(gatewayPort) });
  const all: Record<string, string> = { ...sim.env, LOG_LEVEL: 'info', ...env };
  const config = AppConfig.fromEnv(all);
  const db = new Database(config);
  const stopBase = async (keepRedis = false) => {
    await sim.stop();
    await db.destroy();
    if (!keepRedis) await flushRedisPrefix(all['REDIS_URL'], all['REDIS_PREFIX']);
    await database.drop();
  };
  return { database, sim, env: all, config, db, stopBase };
}

/** The gateway alone beside the simulator, for tests of the API that need no worker. */
export interface GatewaySystem extends Omit<Base, 'stopBase'> {
  baseUrl: string;
  gateway: StartedProcess;
  /** Stops the gateway, then the simulator; empties the Redis prefix and drops the database. */
  stop(): Promise<void>;
}

/** Starts the built gateway beside the simulator, with `overrides` on top of the simulator's environment. */
export async function startGateway(overrides: Record<string, string> = {}): Promise<GatewaySystem> {
  await ensureBuilt(['provider-simulator', 'api-gateway']);
  const gatewayPort = await freePort();
  const { stopBase, ...base } = await startBase(gatewayPort, overrides);
  const baseUrl = `http://127.0.0.1:${gatewayPort}`;
  try {
    const gateway = await startProcess({ name: 'api-gateway', script: 'dist/apps/api-gateway/main.js', env: base.env, readyUrl: `${baseUrl}/health` });
    const stop = async () => {
      await gateway.stop();
      await stopBase();
    };
    return { ...base, baseUrl, gateway, stop };
  } catch (error) {
    await stopBase();
    throw error;
  }
}

export async function startSystem(overrides: Record<string, string> = {}, options: SystemOptions = {}): Promise<System> {
  const workers: SystemWorker[] = ['provisioning-worker', 'billing-worker', ...(options.deliveries ? (['delivery-worker'] as const) : []), ...(options.calls ? (['calling-worker'] as const) : [])];
  await ensureBuilt(['provider-simulator', 'api-gateway', ...workers]);
  const replicas = options.replicas ?? 1;
  const gatewayPorts = await Promise.all(Array.from({ length: replicas }, () => freePort()));
  const cluster: Record<string, string> = options.redisCluster ? { REDIS_CLUSTER_NODES: options.redisCluster.setting } : {};
  const { database, sim, env, config, db, stopBase } = await startBase(gatewayPorts[0], { OUTBOX_POLL_MS: '50', ...cluster, ...overrides });
  const baseUrls = gatewayPorts.map((port) => `http://127.0.0.1:${port}`);
  const [baseUrl] = baseUrls;
  // Each worker's metrics and health listener on a port of its own (METRICS_PORT), known to the test.
  const metricsPorts = new Map(await Promise.all(workers.map(async (name) => [name, await freePort()] as const)));
  const metricsUrls: Record<string, string> = { 'api-gateway': baseUrl };
  for (const [name, port] of metricsPorts) metricsUrls[name] = `http://127.0.0.1:${port}`;
  const processes: StartedProcess[] = [];
  const stop = async () => {
    await Promise.all(processes.map((p) => p.stop()));
    // A cluster is the test's own: its keys go with it.
    await stopBase(Boolean(options.redisCluster));
  };
  // Replicas after the first: their metrics on any free port (the test reads the first's).
  const launchWorker = (name: SystemWorker, replica = 1) =>
    startProcess({
      name: replica === 1 ? name : `${name}-${replica}`,
      script: `dist/apps/${name}/main.js`,
      env: { ...env, METRICS_PORT: replica === 1 ? String(metricsPorts.get(name)) : '0' },
      readyLogLine: `${name} ready`,
      readyTimeoutMs: options.readyTimeoutMs,
    });
  const launchGateway = (replica: number) =>
    startProcess({
      name: replica === 1 ? 'api-gateway' : `api-gateway-${replica}`,
      script: 'dist/apps/api-gateway/main.js',
      env: { ...env, GATEWAY_PORT: String(gatewayPorts[replica - 1]) },
      readyUrl: `${baseUrls[replica - 1]}/health`,
      readyTimeoutMs: options.readyTimeoutMs,
    });
  const startWorker = async (name: SystemWorker) => {
    const started = await launchWorker(name);
    processes.push(started);
    return started;
  };
  try {
    // Replica by replica, each in the order gateway, workers: the first of each comes first.
    const copies = Array.from({ length: replicas }, (_, i) => i + 1);
    const started = await Promise.allSettled(copies.flatMap((replica) => [launchGateway(replica), ...workers.map((name) => launchWorker(name, replica))]));
    processes.push(...started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : [])));
    const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
    const [gateway, ...firstWorkers] = processes.slice(0, 1 + workers.length);
    const first = (name: SystemWorker) => firstWorkers[workers.indexOf(name)];
    const [provisioning, billing, delivery, calling] = (['provisioning-worker', 'billing-worker', 'delivery-worker', 'calling-worker'] as const).map(first);
    return { database, sim, env, config, db, baseUrl, baseUrls, gateway, provisioning, billing, delivery, calling, processes, metricsUrls, startWorker, stop };
  } catch (error) {
    // Jest's afterAll has no system to stop: release here what was started.
    await stop();
    throw error;
  }
}

/** How the simulator delivers its webhooks: `copies` of each, in shuffled order or not. */
export async function setWebhookPolicy(sim: SimulatorProcess, policy: { copies: number; shuffle: boolean }): Promise<void> {
  const response = await fetch(`${sim.url}/_sim/webhooks/policy`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(policy) });
  expect(response.ok).toBe(true);
}
