// `npm start`: the whole system on this machine, seeded, and shown working.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AppConfig } from '@numbers/config';
import { superviseProcess, type SupervisedProcess } from '@numbers/test-support';
import { localEnv, REPO_ROOT } from './lib/local-env';
import { describeDemoAccounts, seedDemoAccounts, writeDemoEnv } from './lib/demo-accounts';
import { ensureDatabase, ensureServices } from './lib/services';

const APPS = ['provider-simulator', 'api-gateway', 'provisioning-worker', 'billing-worker', 'calling-worker', 'delivery-worker'] as const;
const WORKERS = ['provisioning-worker', 'billing-worker', 'calling-worker', 'delivery-worker'] as const;
const MAX_REPLICAS = 10;
const STATE_DIR = join(REPO_ROOT, '.numbers');

function step(message: string): void {
  process.stdout.write(`\n▸ ${message}\n`);
}

function run(command: string, args: string[], env: Record<string, string>): void {
  const result = spawnSync(command, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})`);
}

/** `--replicas N` (default 1): how many of the gateway and of each worker to run. */
function replicasOf(args: string[]): number {
  const { values } = parseArgs({ args, options: { replicas: { type: 'string', default: '1' } } });
  const replicas = Number(values.replicas);
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > MAX_REPLICAS) throw new Error(`--replicas must be a whole number from 1 to ${MAX_REPLICAS} (got ${values.replicas})`);
  return replicas;
}

/** The first replica keeps the app's name (and its log file); the others are `<app>-2`, `<app>-3`... */
const replicaName = (app: (typeof APPS)[number], replica: number): string => (replica === 1 ? app : `${app}-${replica}`);

/** Starts an app and keeps it running: one that dies is started again (with backoff), and says so. */
async function launch(app: (typeof APPS)[number], replica: number, env: Record<string, string>, ready: { url?: string; line?: string }): Promise<SupervisedProcess> {
  const name = replicaName(app, replica);
  const onRestart = (exit: { code: number | null; signal: string | null }, inMs: number) =>
    process.stderr.write(`\n${name} exited (${exit.code ?? exit.signal ?? 'before it was ready'}); starting it again in ${inMs / 1000} s. Its log: .numbers/logs/${name}.log\n`);
  return superviseProcess(
    {
      name,
      script: `dist/apps/${app}/main.js`,
      env,
      readyUrl: ready.url,
      readyLogLine: ready.line,
      // Five processes boot at once: on a busy two-core machine the gateway alone takes 20 s.
      readyTimeoutMs: 120_000,
      logFile: join(STATE_DIR, 'logs', `${name}.log`),
    },
    { onRestart },
  );
}

/**
 * Replica `replica` of the gateway: the first on GATEWAY_PORT, the next ones on the ports after
 * it, on this machine. PUBLIC_BASE_URL stays the first's: it is where the simulator's webhooks
 * and Checkout's return go, as a load balancer's one address would be.
 */
function gatewayReplica(config: AppConfig, env: Record<string, string>, replica: number): { url: string; env: Record<string, string> } {
  if (replica === 1) return { url: config.gateway.publicBaseUrl, env };
  const port = config.gateway.port + replica - 1;
  return { url: `http://127.0.0.1:${port}`, env: { ...env, GATEWAY_PORT: String(port) } };
}

/** Replica `replica` of a worker: the first on its own metrics port, the next ones on any free port (each logs it). */
const workerEnv = (env: Record<string, string>, replica: number): Record<string, string> => (replica === 1 ? env : { ...env, METRICS_PORT: '0' });

async function listByStatus(apiUrl: string, apiKey: string): Promise<string> {
  const views = await Promise.all(
    ['', '?status=released'].map(async (query) => {
      const response = await fetch(`${apiUrl}/v1/whatsapp/phone-numbers${query}`, { headers: { authorization: `Bearer ${apiKey}` } });
      return ((await response.json()) as { numbers: Array<{ status: string }> }).numbers;
    }),
  );
  const counts = new Map<string, number>();
  for (const n of views.flat()) counts.set(n.status, (counts.get(n.status) ?? 0) + 1);
  return [...counts].map(([status, count]) => `${status} ${count}`).join(', ');
}

async function waitForStatus(apiUrl: string, apiKey: string, numberId: string, status: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const response = await fetch(`${apiUrl}/v1/whatsapp/phone-numbers/${numberId}`, { headers: { authorization: `Bearer ${apiKey}` } });
    const body = (await response.json()) as { phoneNumber?: { status: string } };
    if (body.phoneNumber?.status === status) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

async function main(): Promise<void> {
  const replicas = replicasOf(process.argv.slice(2));
  const env = localEnv();
  const config = AppConfig.fromEnv(env);
  // Live: real Stripe, Telnyx and Meta (docs/providers.md), so no simulator and no demo numbers.
  const live = config.providerMode === 'live';
  mkdirSync(join(STATE_DIR, 'logs'), { recursive: true });

  step('PostgreSQL and Redis');
  await ensureServices(config);
  await ensureDatabase(config.databaseUrl);

  step('Database types (generated from the Prisma schema) and migrations');
  run('npx', ['prisma', 'generate'], env);
  run('npx', ['prisma', 'migrate', 'deploy'], env);

  step('Building the apps');
  const apps = live ? APPS.filter((app) => app !== 'provider-simulator') : APPS;
  run('npx', ['nx', 'run-many', '-t', 'build', '-p', ...apps, '--output-style=stream-without-prefixes'], env);

  const processes: SupervisedProcess[] = [];
  const stopAll = async () => {
    await Promise.all(processes.map((p) => p.stop()));
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(0)));
  process.once('SIGTERM', () => void stopAll().then(() => process.exit(0)));

  const simulatorUrl = env['SIMULATOR_PUBLIC_URL'];
  if (!live) {
    step('Starting the provider simulator');
    processes.push(await launch('provider-simulator', 1, env, { url: `${simulatorUrl}/health` }));
  }

  step(live ? 'Creating an account' : 'Seeding the demo account');
  const accounts = await seedDemoAccounts(config, live ? null : simulatorUrl);

  step(replicas === 1 ? 'Starting the gateway and the workers' : `Starting ${replicas} of the gateway and of each worker`);
  const apiUrl = config.gateway.publicBaseUrl;
  const copies = Array.from({ length: replicas }, (_, i) => i + 1);
  const gateways = copies.map((replica) => gatewayReplica(config, env, replica));
  const started = await Promise.allSettled(
    copies.flatMap((replica) => [
      launch('api-gateway', replica, gateways[replica - 1].env, { url: `${gateways[replica - 1].url}/health` }),
      ...WORKERS.map((worker) => launch(worker, replica, workerEnv(env, replica), { line: `${worker} ready` })),
    ]),
  );
  processes.push(...started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : [])));
  const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) {
    await stopAll();
    throw failed.reason;
  }
  writeDemoEnv(join(STATE_DIR, 'demo.env'), apiUrl, accounts);

  const { demo } = accounts;
  if (demo) {
    step('Shown working');
    process.stdout.write(`  released demo number ${demo.releasingNumberId} through the workers... `);
    const released = await waitForStatus(apiUrl, demo.apiKey, demo.releasingNumberId, 'released', 30_000);
    process.stdout.write(released ? 'released\n' : 'still releasing: see .numbers/logs/\n');
    process.stdout.write(`  numbers by status: ${await listByStatus(apiUrl, demo.apiKey)}\n`);
  }

  process.stdout.write(
    `\nNumbers is running${live ? ' against the real providers (PROVIDER_MODE=live, docs/providers.md)' : ''}.\n` +
      describeDemoAccounts(apiUrl, simulatorUrl, accounts) +
      (replicas === 1 ? '' : `  Gateways   ${gateways.map((g) => g.url).join('  ')}\n`) +
      '  (the keys are also in .numbers/demo.env; logs in .numbers/logs/)\n\n' +
      'A process that dies is started again (it says so here). Ctrl-C stops everything.\n',
  );
  // Runs until Ctrl-C (SIGINT above); a process that dies meanwhile is started again.
}

main().catch((error: unknown) => {
  process.stderr.write(`\n${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

