/** The kinds of fault the schedule injects: one row each in the report. */
export const FAULT_KINDS = ['kill -9 a process', 'roll the gateways', 'kill -9 Redis', 'stop PostgreSQL (immediate)', 'provider answers 500', 'provider hangs'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** One fault injected: when, on what, and how long until the part it hit served again. */
export interface InjectedFault {
  kind: FaultKind;
  target: string;
  startedAt: number;
  /** When the fault itself ended (a provider's window); the process or server restarted. */
  endedAt?: number;
  /** From the start of the fault until the part it hit served again; unset if it never did. */
  recoveredMs?: number;
}
