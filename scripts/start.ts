// `npm start`: the whole system on this machine, seeded, and shown working.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from '@numbers/config';
import { superviseProcess, type SupervisedProcess } from '@numbers/test-support';
import { localEnv, REPO_ROOT } from './lib/local-env';
import { describeDemoAccounts, seedDemoAccounts, writeDemoEnv } from './lib/demo-accounts';
import { ensureDatabase, ensureServices } from './lib/services';

const APPS = ['provider-simulator', 'api-gateway', 'provisioning-worker', 'billing-worker', 'calling-worker', 'delivery-worker'] as const;
const STATE_DIR = join(REPO_ROOT, '.numbers');

function step(message: string): void {
  process.stdout.write(`\n▸ ${message}\n`);
}

function run(command: string, args: string[], env: Record<string, string>): void {
  const result = spawnSync(command, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})`);
}

/** Starts an app and keeps it running: one that dies is started again (with backoff), and says so. */
async function launch(name: (typeof APPS)[number], env: Record<string, string>, ready: { url?: string; line?: string }): Promise<SupervisedProcess> {
  const onRestart = (exit: { code: number | null; signal: string | null }, inMs: number) =>
    process.stderr.write(`\n${name} exited (${exit.code ?? exit.signal ?? 'before it was ready'}); starting it again in ${inMs / 1000} s. Its log: .numbers/logs/${name}.log\n`);
  return superviseProcess(
    {
      name,
      script: `dist/apps/${name}/main.js`,
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
    processes.push(await launch('provider-simulator', env, { url: `${simulatorUrl}/health` }));
  }

  step(live ? 'Creating an account' : 'Seeding the demo account');
  const accounts = await seedDemoAccounts(config, live ? null : simulatorUrl);

  step('Starting the gateway and the workers');
  const apiUrl = config.gateway.publicBaseUrl;
  processes.push(
    ...(await Promise.all([
      launch('api-gateway', env, { url: `${apiUrl}/health` }),
      launch('provisioning-worker', env, { line: 'provisioning-worker ready' }),
      launch('billing-worker', env, { line: 'billing-worker ready' }),
      launch('calling-worker', env, { line: 'calling-worker ready' }),
      launch('delivery-worker', env, { line: 'delivery-worker ready' }),
    ])),
  );
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
      '  (the keys are also in .numbers/demo.env; logs in .numbers/logs/)\n\n' +
      'A process that dies is started again (it says so here). Ctrl-C stops everything.\n',
  );
  // Runs until Ctrl-C (SIGINT above); a process that dies meanwhile is started again.
}

main().catch((error: unknown) => {
  process.stderr.write(`\n${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

