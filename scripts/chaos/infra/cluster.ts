import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, eventually, freePort, startSimulatorProcess, superviseProcess, type SimulatorProcess, type SupervisedProcess } from '@numbers/test-support';
import { startWebhookBalancer, type WebhookBalancer } from './webhook-balancer';

export const WORKERS = ['provisioning-worker', 'billing-worker', 'calling-worker', 'delivery-worker'] as const;
/** Every app a run starts, built from dist/. */
export const APPS = ['provider-simulator', 'api-gateway', ...WORKERS] as const;
const REPLICAS = 2;

/** One copy of one app, kept running: killed, it is started again. */
export interface Replica {
  /** `api-gateway#1` */
  readonly name: string;
  readonly app: (typeof APPS)[number];
  readonly process: SupervisedProcess;
  /** A gateway's `http://127.0.0.1:<port>`. */
  readonly url?: string;
  /** Exits so far, planned (a fault) or not: the run compares them with the kills it made. */
  exits: number;
}

export interface Cluster {
  readonly sim: SimulatorProcess;
  readonly env: Record<string, string>;
  readonly replicas: Replica[];
  /** The gateways' base URLs, in replica order. */
  readonly gatewayUrls: string[];
  /** Resolves once the replica runs a process other than `pid` that is ready. */
  restartedFrom(replica: Replica, pid: number, timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  databaseUrl: string;
  redisUrl: string;
  /** Settings on top of env/local.env for every process. */
  settings: Record<string, string>;
  logDir: string;
}

/**
 * The provider simulator, and two replicas of the gateway and of every worker from dist/, each
 * supervised (restarted when it dies, as `restart: unless-stopped`). The simulator's webhooks go
 * through a small load balancer to whichever gateway answers.
 */
export async function startCluster({ databaseUrl, redisUrl, settings, logDir }: ClusterOptions): Promise<Cluster> {
  await ensureBuilt([...APPS]);
  mkdirSync(logDir, { recursive: true });
  const balancerPort = await freePort();
  // GATEWAY_PORT moves PUBLIC_BASE_URL and the simulator's webhook target to the balancer.
  const sim = await startSimulatorProcess({ DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, REDIS_PREFIX: '{numbers-chaos}', GATEWAY_PORT: String(balancerPort) });
  const env: Record<string, string> = { ...sim.env, ...settings };
  const replicas: Replica[] = [];
  let balancer: WebhookBalancer | undefined;
  const stop = async () => {
    await Promise.all(replicas.map((r) => r.process.stop()));
    await balancer?.close();
    await sim.stop();
  };
  try {
    const gatewayPorts = await Promise.all(Array.from({ length: REPLICAS }, () => freePort()));
    const gatewayUrls = gatewayPorts.map((port) => `http://127.0.0.1:${port}`);
    balancer = await startWebhookBalancer(balancerPort, () => gatewayUrls);
    const launch = async (app: Replica['app'], index: number): Promise<Replica> => {
      const name = `${app}#${index + 1}`;
      const url = app === 'api-gateway' ? gatewayUrls[index] : undefined;
      const process = await superviseProcess(
        {
          name,
          script: `dist/apps/${app}/main.js`,
          env: url ? { ...env, GATEWAY_PORT: String(gatewayPorts[index]) } : env,
          readyUrl: url ? `${url}/health` : undefined,
          readyLogLine: url ? undefined : `${app} ready`,
          readyTimeoutMs: 300_000,
          logFile: join(logDir, `${app}-${index + 1}.log`),
        },
        // Killed every few seconds on purpose: start again soon, whatever happened before.
        { backoffMs: 300, maxBackoffMs: 3000, healthyAfterMs: 5000, onRestart: () => (replica.exits += 1) },
      );
      const replica: Replica = { name, app, process, url, exits: 0 };
      replicas.push(replica);
      return replica;
    };
    await Promise.all((['api-gateway', ...WORKERS] as const).flatMap((app) => Array.from({ length: REPLICAS }, (_, index) => launch(app, index))));
    return {
      sim,
      env,
      replicas,
      gatewayUrls,
      stop,
      async restartedFrom(replica, pid, timeoutMs) {
        await eventually(`${replica.name} started again`, async () => replica.process.current().pid !== pid, timeoutMs, 50);
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
