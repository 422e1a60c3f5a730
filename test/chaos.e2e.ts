// The chaos suite's short profile (`npm run chaos -- --profile short`) as part of `npm test`: its
// own PostgreSQL and Redis, two replicas of every process, a mixed load while processes are killed,
// Redis and PostgreSQL restarted, providers fail or hang and the gateways roll; then nothing may be
// lost or doubled. `npm run chaos` runs the longer profile.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAULT_KINDS } from '../scripts/chaos/faults/fault-log';
import { PROFILES } from '../scripts/chaos/profiles';
import { formatReport } from '../scripts/chaos/report';
import { runChaos } from '../scripts/chaos/run-chaos';

// On a loaded machine the run took 315 s (152 s on a quiet one).
const RUN_TIMEOUT_MS = 12 * 60_000;

it(
  'loses and doubles nothing under the short profile of faults',
  async () => {
    const profile = PROFILES.short;
    const logDir = mkdtempSync(join(tmpdir(), 'numbers-chaos-e2e-'));
    const result = await runChaos(profile, { logDir });
    // The whole report on failure: the findings say what was lost or doubled, and the logs where.
    const report = `${formatReport(result)}\nprocess logs: ${logDir}`;

    expect({ findings: result.findings, problems: result.problems, forbidden5xx: result.traffic.forbidden, stillInFlight: result.stillInFlight, report }).toEqual({
      findings: [],
      problems: [],
      forbidden5xx: [],
      stillInFlight: [],
      report,
    });
    expect(result.unplannedExits).toBe(0);
    // Every kind of fault was injected, and every process and server hit came back.
    expect(new Set(result.faults.map((f) => f.kind))).toEqual(new Set(FAULT_KINDS));
    const infrastructure = result.faults.filter((f) => f.kind !== 'provider answers 500' && f.kind !== 'provider hangs');
    expect(infrastructure.filter((f) => f.recoveredMs === undefined).map((f) => `${f.kind} (${f.target})`)).toEqual([]);
    // The load did what the profile asked, to the end.
    expect(result.load.purchases).toHaveLength(profile.usPurchases + profile.regulatedPurchases);
    expect(result.load.purchases.filter((p) => p.released)).toHaveLength(profile.releases);
    expect(result.numberStates).toEqual({ active: profile.usPurchases + profile.regulatedPurchases - profile.releases, released: profile.releases });
    expect(result.callStates).toEqual({ ended: profile.calls });
  },
  RUN_TIMEOUT_MS,
);
