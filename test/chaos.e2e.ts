// The chaos suite's short profile (scripts/chaos, `npm run chaos -- --profile short`): its own
// PostgreSQL and Redis, the simulator and two replicas of every process, a mixed load through the
// SDK while processes are killed, Redis and PostgreSQL restarted, each provider fails or hangs and
// the gateways roll; then nothing may be lost or doubled and no answer may be a bare 5xx. The run
// stops and deletes everything it started, also when it fails.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAULT_KINDS } from '../scripts/chaos/faults/fault-log';
import { PROFILES } from '../scripts/chaos/profiles';
import { formatReport, type ChaosResult } from '../scripts/chaos/report';
import { runChaos } from '../scripts/chaos/run-chaos';

let result: ChaosResult;

beforeAll(async () => {
  const logDir = mkdtempSync(join(tmpdir(), 'numbers-chaos-e2e-'));
  result = await runChaos(PROFILES.short, { logDir });
  process.stdout.write(`${formatReport(result)}(process logs in ${logDir})\n`);
}, 1_200_000);

describe('the chaos suite, short profile', () => {
  it('injects every kind of fault and recovers from each', () => {
    for (const kind of FAULT_KINDS) expect(result.faults.filter((f) => f.kind === kind).length).toBeGreaterThan(0);
    expect(result.faults.filter((f) => f.recoveredMs === undefined && !f.kind.startsWith('provider'))).toEqual([]);
    expect(result.unplannedExits).toBe(0);
  });

  it('did the work: ~20 purchases, releases, calls', () => {
    expect(result.load.purchases.filter((p) => p.numberId).length).toBeGreaterThanOrEqual(20);
    expect(result.load.purchases.some((p) => p.country === 'DE' && p.numberId)).toBe(true);
    expect(result.load.purchases.filter((p) => p.released).length).toBeGreaterThan(0);
    expect(result.load.calls.filter((c) => c.callId).length).toBeGreaterThanOrEqual(20);
  });

  it('lost nothing, doubled nothing, answered no bare 5xx, and went quiet', () => {
    expect(result.findings).toEqual([]);
    expect(result.traffic.forbidden).toEqual([]);
    expect(result.problems).toEqual([]);
    expect(result.stillInFlight).toEqual([]);
  });
});
