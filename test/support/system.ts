import { AppConfig } from '@numbers/config';
import { Database } from '@numbers/persistence';
import { createTestDatabase, ensureBuilt, flushRedisPrefix, freePort, startProcess, startSimulatorProcess, testRedisPrefix, type RedisClusterProcess, type SimulatorProcess, type StartedProcess, type TestDatabase } from '@numbers/test-support';

/** The built simulator, gateway, provisioning worker and billing worker (and the delivery worker, when asked) as processes on a database and Redis prefix of their own. */
export interface System {
  database: TestDatabase;
  sim: SimulatorProcess;
  /** The environment every process runs with. */
  env: Record<string, string>;
  config: AppConfig;
  /** The system's database, for what a test reads and arranges there. */
  db: Database;
  /** The gateway's `http://127.0.0.1:<port>`. */
  baseUrl: string;
  gateway: StartedProcess;
  provisioning: StartedProcess;
  billing: StartedProcess;
  /** Started with `{ deliveries: true }`: webhooks to customers. */
  delivery?: StartedProcess;
  /** Where each process serves /metrics and /health/*: the gateway's base URL, each worker's own listener. */
  metricsUrls: Record<string, string>;
  /** Starts another process of a worker (after a test stopped or killed one), on the same settings and metrics port; stop() stops it too. */
  startWorker(name: SystemWorker): Promise<StartedProcess>;
  /** Stops the processes, then the simulator; empties the Redis prefix and drops the database. */
  stop(): Promise<void>;
}

export type SystemWorker = 'provisioning-worker' | 'billing-worker' | 'delivery-worker';

export interface SystemOptions {
  /** Also start the delivery worker (webhooks to customers). */
  deliveries?: boolean;
  /** Gives each process longer to be ready than startProcess's default (loading the tracing SDK, on a busy machine). */
  readyTimeoutMs?: number;
  /** Every process on this Redis Cluster (REDIS_CLUSTER_NODES) instead of the test run's Redis; the test stops it. */
  redisCluster?: RedisClusterProcess;
}

/**
 * Starts the system with `overrides` on top of the simulator's environment (quiet logs, a fast
 * outbox), as `options` say.
 */
export async function startSystem(overrides: Record<string, string> = {}, options: SystemOptions = {}): Promise<System> {
  const workers = ['provisioning-worker', 'billing-worker', ...(options.deliveries ? (['delivery-worker'] as const) : [])] as const;
  await ensureBuilt(['provider-simulator', 'api-gateway', ...workers]);
  const database = await createTestDatabase();
  const gatewayPort = await freePort();
  // GATEWAY_PORT moves PUBLIC_BASE_URL and the simulator's webhook target along with it.
  const sim = await startSimulatorProcess({ DATABASE_URL: database.url, REDIS_PREFIX: testRedisPrefix(), GATEWAY_PORT: String(gatewayPort) });
  const cluster: Record<string, string> = options.redisCluster ? { REDIS_CLUSTER_NODES: options.redisCluster.setting } : {};
  const env: Record<string, string> = { ...sim.env, LOG_LEVEL: 'info', OUTBOX_POLL_MS: '50', ...cluster, ...overrides };
  const baseUrl = `http://127.0.0.1:${gatewayPort}`;
  const config = AppConfig.fromEnv(env);
  const db = new Database(config);
  // Each worker's metrics and health listener on a port of its own (METRICS_PORT), known to the test.
  const metricsPorts = new Map(await Promise.all(workers.map(async (name) => [name, await freePort()] as const)));
  const metricsUrls: Record<string, string> = { 'api-gateway': baseUrl };
  for (const [name, port] of metricsPorts) metricsUrls[name] = `http://127.0.0.1:${port}`;
  const processes: StartedProcess[] = [];
  const stop = async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await sim.stop();
    await db.destroy();
    // A cluster is the test's own: its keys go with it.
    if (!options.redisCluster) await flushRedisPrefix(env['REDIS_URL'], env['REDIS_PREFIX']);
    await database.drop();
  };
  const launchWorker = (name: SystemWorker) =>
    startProcess({
      name,
      script: `dist/apps/${name}/main.js`,
      env: { ...env, METRICS_PORT: String(metricsPorts.get(name)) },
      readyLogLine: `${name} ready`,
      readyTimeoutMs: options.readyTimeoutMs,
    });
  const startWorker = async (name: SystemWorker) => {
    const started = await launchWorker(name);
    processes.push(started);
    return started;
  };
  try {
    const started = await Promise.allSettled([
      startProcess({ name: 'api-gateway', script: 'dist/apps/api-gateway/main.js', env, readyUrl: `${baseUrl}/health`, readyTimeoutMs: options.readyTimeoutMs }),
      ...workers.map(launchWorker),
    ]);
    processes.push(...started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : [])));
    const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
    const [gateway, provisioning, billing, delivery] = processes;
    return { database, sim, env, config, db, baseUrl, gateway, provisioning, billing, delivery, metricsUrls, startWorker, stop };
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
