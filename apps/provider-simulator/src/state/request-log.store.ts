import type { FaultAction } from './fault-rule.store';
import type { ProviderName } from '../shared/provider-name';

export interface RequestLogEntry {
  seq: number;
  at: string;
  provider: ProviderName;
  method: string;
  path: string;
  /** The matched route pattern, e.g. `/v2/phone_numbers/:id`; null for unknown routes. */
  route: string | null;
  query: Record<string, unknown>;
  status: number;
  idempotencyKey: string | null;
  /** True when the response was a stored idempotent response, not a new execution. */
  replayed: boolean;
  fault: FaultAction | null;
  body: unknown;
}

export type NewRequestLogEntry = Omit<RequestLogEntry, 'seq' | 'at'>;

/** Every provider call the simulator answered, newest last, capped so a long run stays small. */
export class RequestLogStore {
  private entries: RequestLogEntry[] = [];
  private seq = 0;
  /** Calls answered per provider since the last clear, past the cap too (what benchmarks count). */
  private answered: Partial<Record<ProviderName, number>> = {};

  constructor(private readonly capacity = 10_000) {}

  append(entry: NewRequestLogEntry): void {
    this.seq += 1;
    this.answered[entry.provider] = (this.answered[entry.provider] ?? 0) + 1;
    this.entries.push({ seq: this.seq, at: new Date().toISOString(), ...entry });
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
  }

  list(provider?: ProviderName): RequestLogEntry[] {
    return provider ? this.entries.filter((entry) => entry.provider === provider) : [...this.entries];
  }

  counts(): Partial<Record<ProviderName, number>> {
    return { ...this.answered };
  }

  clear(): void {
    this.entries = [];
    this.answered = {};
  }
}
