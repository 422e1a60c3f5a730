import type { InjectedFault } from './fault-log';

interface LoggedRequest {
  at: string;
  status: number;
  fault?: string | null;
}

/**
 * A provider fault has recovered when the provider next answered one of our calls with success
 * after its window: read from the simulator's request log once the run is over.
 */
export function settleProviderRecoveries(faults: InjectedFault[], requests: Record<string, LoggedRequest[]>): void {
  for (const fault of faults) {
    if ((fault.kind !== 'provider answers 500' && fault.kind !== 'provider hangs') || fault.endedAt === undefined) continue;
    const after = fault.endedAt;
    const next = (requests[fault.target] ?? []).find((r) => !r.fault && r.status < 400 && Date.parse(r.at) >= after);
    if (next) fault.recoveredMs = Date.parse(next.at) - fault.startedAt;
  }
}
