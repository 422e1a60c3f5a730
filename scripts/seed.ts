// `npm run seed`: the accounts `npm start` creates (a demo account with a number in every state, on
// the simulator, and an empty buyer account), on a database already migrated, with the simulator
// and preferably the workers already running. docker compose's `seed` service runs it last.
//   --simulator URL   where this process reaches the simulator (default SIMULATOR_PUBLIC_URL)
import { parseArgs } from 'node:util';
import { AppConfig } from '@numbers/config';
import { describeDemoAccounts, seedDemoAccounts } from './lib/demo-accounts';
import { localEnv } from './lib/local-env';

async function main(): Promise<void> {
  const env = localEnv();
  const config = AppConfig.fromEnv(env);
  const { values } = parseArgs({ options: { simulator: { type: 'string' } } });
  const live = config.providerMode === 'live';
  const accounts = await seedDemoAccounts(config, live ? null : (values.simulator ?? env['SIMULATOR_PUBLIC_URL']));
  process.stdout.write(`\nNumbers demo accounts${live ? ' (PROVIDER_MODE=live: no demo numbers)' : ''}:\n` + describeDemoAccounts(config.gateway.publicBaseUrl, env['SIMULATOR_PUBLIC_URL'], accounts));
}

main().catch((error: unknown) => {
  process.stderr.write(`\n${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
