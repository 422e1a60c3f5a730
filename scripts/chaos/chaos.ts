// `npm run chaos [-- --profile short|full]`: the system under real faults, then checked for
// anything lost or doubled. One table of figures; exit 1 on any loss, doubling or forbidden 5xx.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PROFILES, type ChaosProfile } from './profiles';
import { failed, formatReport } from './report';
import { runChaos } from './run-chaos';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { profile: { type: 'string', default: 'full' }, logs: { type: 'string' } } });
  const profile = PROFILES[values.profile as ChaosProfile['name']];
  if (!profile) throw new Error(`--profile must be one of ${Object.keys(PROFILES).join(', ')}`);
  const logDir = values.logs ?? mkdtempSync(join(tmpdir(), 'numbers-chaos-logs-'));
  const started = Date.now();
  const say = (line: string) => process.stdout.write(`▸ ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s  ${line}\n`);
  say(`chaos, ${profile.name} profile; process logs in ${logDir}`);
  const result = await runChaos(profile, { logDir, say });
  process.stdout.write(`\n${formatReport(result)}`);
  process.exitCode = failed(result) ? 1 : 0;
}

main().catch((error: unknown) => {
  process.stderr.write(`\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
