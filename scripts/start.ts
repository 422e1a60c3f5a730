// `npm start`: the whole system on this machine, seeded, and shown working.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from '@numbers/config';
import { superviseProcess, type SupervisedProcess } from '@numbers/test-support';
import { localEnv, REPO_ROOT } from './lib/local-env';
import { AccountRepository } from '@numbers/persistence';
import { withDatabase } from './lib/database';
import { seedDemo } from './lib/demo-seed';
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
  mkdirSync(join(STATE_DIR, 'logs'), { recursive: true });

  step('PostgreSQL and Redis');
  await ensureServices(config);
  await ensureDatabase(config.databaseUrl);

  step('Database types (generated from the Prisma schema) and migrations');
  run('npx', ['prisma', 'generate'], env);
  run('npx', ['prisma', 'migrate', 'deploy'], env);

  step('Building the apps');
  run('npx', ['nx', 'run-many', '-t', 'build', '-p', ...APPS, '--output-style=stream-without-prefixes'], env);

  const processes: SupervisedProcess[] = [];
  const stopAll = async () => {
    await Promise.all(processes.map((p) => p.stop()));
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(0)));
  process.once('SIGTERM', () => void stopAll().then(() => process.exit(0)));

  step('Starting the provider simulator');
  const simulatorUrl = env['SIMULATOR_PUBLIC_URL'];
  processes.push(await launch('provider-simulator', env, { url: `${simulatorUrl}/health` }));

  step('Seeding the demo account');
  const demo = await withDatabase((persistence) => seedDemo(persistence, config, simulatorUrl));
  // A second account with nothing yet, so a purchase by hand goes through Checkout.
  const buyer = await withDatabase(({ get }) => get(AccountRepository).createAccountWithKey({ name: 'Buyer', planCode: 'growth' }));

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

  writeFileSync(
    join(STATE_DIR, 'demo.env'),
    `NUMBERS_API_URL=${apiUrl}\nNUMBERS_API_KEY=${demo.apiKey}\nNUMBERS_PROFILE_ID=${demo.profileId}\n` +
      `NUMBERS_BUYER_API_KEY=${buyer.apiKey}\nNUMBERS_BUYER_PROFILE_ID=${buyer.profileId}\n`,
    { mode: 0o600 },
  );

  step('Shown working');
  process.stdout.write(`  released demo number ${demo.releasingNumberId} through the workers... `);
  const released = await waitForStatus(apiUrl, demo.apiKey, demo.releasingNumberId, 'released', 30_000);
  process.stdout.write(released ? 'released\n' : 'still releasing: see .numbers/logs/\n');
  process.stdout.write(`  numbers by status: ${await listByStatus(apiUrl, demo.apiKey)}\n`);

  process.stdout.write(`
Numbers is running.
  API        ${apiUrl}/v1
  Docs       ${apiUrl}/docs
  Simulator  ${simulatorUrl}/_sim/state
  API key    ${demo.apiKey}
  Profile    ${demo.profileId}
  (also in .numbers/demo.env; logs in .numbers/logs/)

Try it:
  curl -H "Authorization: Bearer ${demo.apiKey}" ${apiUrl}/v1/whatsapp/phone-numbers

Buy a number by hand (a fresh account on the growth plan, no numbers yet):
  curl -X POST ${apiUrl}/v1/whatsapp/phone-numbers/purchase \\
    -H "Authorization: Bearer ${buyer.apiKey}" -H "content-type: application/json" \\
    -d '{"profileId":"${buyer.profileId}"}'
  It answers {"checkoutUrl": ...}: open that link, press Pay, and the number is active
  seconds later:
  curl -H "Authorization: Bearer ${buyer.apiKey}" ${apiUrl}/v1/whatsapp/phone-numbers

A process that dies is started again (it says so here). Ctrl-C stops everything.
`);
  // Runs until Ctrl-C (SIGINT above); a process that dies meanwhile is started again.
}

main().catch((error: unknown) => {
  process.stderr.write(`\n${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

