import type { Finding } from './checks/end-state-checks';
import { FAULT_KINDS, type InjectedFault } from './faults/fault-log';
import type { ApiTraffic } from './load/api-traffic';
import type { LoadResult } from './load/workload';
import type { ChaosProfile } from './profiles';

/** Where a run's wall time goes, in order. */
export const CHAOS_PHASES = ['infrastructure and build', 'process start-up', 'accounts', 'load and faults', 'quiescence', 'checks', 'stop'] as const;
export type ChaosPhase = (typeof CHAOS_PHASES)[number];

/** Everything a run found: the report prints it, the e2e test asserts on it. */
export interface ChaosResult {
  profile: ChaosProfile;
  /** The whole run, start-up and stop included. */
  seconds: number;
  /** Seconds per phase (a phase the run did not reach is absent). */
  phases: Partial<Record<ChaosPhase, number>>;
  faults: InjectedFault[];
  load: LoadResult;
  traffic: ApiTraffic;
  /** Processes that died without being killed by the schedule. */
  unplannedExits: number;
  /** From the end of the faults and the load until nothing was in flight. */
  quiescenceSeconds: number;
  /** What was still in flight at the quiescence timeout (empty when quiet). */
  stillInFlight: string[];
  findings: Finding[];
  /** Requests the load never got a usable answer to, or answered with an unexpected 4xx. */
  problems: string[];
  /** End states, by status, of the numbers and calls. */
  numberStates: Record<string, number>;
  callStates: Record<string, number>;
}

/** The run failed: a loss, a doubling, a forbidden 5xx, work still in flight, or a request never answered. */
export function failed(result: ChaosResult): boolean {
  return result.findings.length > 0 || result.traffic.forbidden.length > 0 || result.stillInFlight.length > 0 || result.problems.length > 0;
}

const seconds = (ms: number | undefined) => (ms === undefined ? 'never' : `${(ms / 1000).toFixed(1)} s`);
const states = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([state, n]) => `${state} ${n}`)
    .join(', ') || 'none';

/** The one table of figures, then the details of anything that went wrong. */
export function formatReport(result: ChaosResult): string {
  const rows: [string, string][] = [];
  const section = (title: string) => rows.push([`${title}`, '']);
  section('faults injected');
  for (const kind of FAULT_KINDS) {
    const of = result.faults.filter((f) => f.kind === kind);
    const recovered = of.flatMap((f) => (f.recoveredMs === undefined ? [] : [f.recoveredMs]));
    // A provider recovers at its next successful call: one our load no longer made cannot be timed.
    const untimed = of.length - recovered.length;
    const provider = kind === 'provider answers 500' || kind === 'provider hangs';
    const worst = untimed > 0 && !provider ? undefined : Math.max(0, ...recovered);
    const targets = [...new Set(of.map((f) => f.target.replace(/#\d$/, '')))].join(', ');
    const notCalled = provider && untimed > 0 ? `; ${untimed} not called again` : '';
    rows.push([`  ${kind}`, `${of.length}${of.length ? `   (max time to recover ${recovered.length || !provider ? seconds(worst) : 'n/a'}${notCalled}; ${targets})` : ''}`]);
  }
  rows.push(['  processes that died unasked', String(result.unplannedExits)]);
  section('work done');
  const purchases = result.load.purchases;
  rows.push(['  purchases (US / DE via KYC)', `${purchases.length} (${purchases.filter((p) => p.country === 'US').length} / ${purchases.filter((p) => p.country === 'DE').length})`]);
  rows.push(['  releases', String(purchases.filter((p) => p.released).length)]);
  rows.push(['  numbers by end state', states(result.numberStates)]);
  rows.push(['  permission prompts', String(result.load.pairs.length)]);
  rows.push(['  calls placed', String(result.load.calls.filter((c) => c.callId).length)]);
  rows.push(['  calls by end state', states(result.callStates)]);
  const t = result.traffic;
  rows.push(['  API answers 2xx / 4xx / 503+Retry-After', `${t.count((s) => s < 300)} / ${t.count((s) => s >= 400 && s < 500)} / ${t.unavailable}   (network errors retried: ${t.networkErrors})`]);
  section('outcome');
  rows.push(['  lost', String(result.findings.filter((f) => f.kind === 'lost').length)]);
  rows.push(['  doubled', String(result.findings.filter((f) => f.kind === 'doubled').length)]);
  rows.push(['  forbidden 5xx answers', String(t.forbidden.length)]);
  rows.push(['  requests never answered / refused', String(result.problems.length)]);
  rows.push(['  time to quiescence after the faults', result.stillInFlight.length ? `not quiet after ${result.quiescenceSeconds.toFixed(0)} s` : `${result.quiescenceSeconds.toFixed(1)} s`]);
  rows.push(['  run time', `${result.seconds.toFixed(0)} s`]);
  for (const phase of CHAOS_PHASES) {
    const spent = result.phases[phase];
    if (spent !== undefined) rows.push([`    ${phase}`, `${spent.toFixed(1)} s`]);
  }

  const width = Math.max(...rows.map(([label]) => label.length)) + 3;
  const lines = [`chaos (${result.profile.name} profile): ${failed(result) ? 'FAILED' : 'passed'}`, ...rows.map(([label, value]) => (value ? label.padEnd(width) + value : label))];
  const details = [
    ...result.findings.map((f) => `${f.kind} ${f.what}: ${f.detail}`),
    ...t.forbidden.map((f) => `forbidden ${f.status} at ${f.at.toISOString()} ${f.method} ${f.path}: ${f.body}`),
    ...result.stillInFlight.map((s) => `still in flight: ${s}`),
    ...result.problems.map((p) => `request: ${p}`),
  ];
  const shown = details.slice(0, 100);
  if (details.length > shown.length) shown.push(`... and ${details.length - shown.length} more`);
  return [...lines, ...(shown.length ? ['', ...shown] : [])].join('\n') + '\n';
}
