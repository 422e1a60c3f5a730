/** What a request carrying an idempotency key should do. */
export type IdempotencyDecision =
  | { kind: 'new' }
  | { kind: 'replay'; status: number; body: string }
  | { kind: 'mismatch' }
  | { kind: 'in_progress' };

interface Entry {
  fingerprint: string;
  createdAt: number;
  result: { status: number; body: string } | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Idempotency keys per scope (one scope per provider), kept for 24 hours as Stripe keeps them.
 * A key is claimed by the first request, then completed with its response or abandoned (5xx),
 * so a retry after a failure runs again.
 */
export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs = DAY_MS,
    private readonly now: () => number = Date.now,
  ) {}

  begin(scope: string, key: string, fingerprint: string): IdempotencyDecision {
    this.prune();
    const id = `${scope}\u0000${key}`;
    const entry = this.entries.get(id);
    if (!entry) {
      this.entries.set(id, { fingerprint, createdAt: this.now(), result: null });
      return { kind: 'new' };
    }
    if (entry.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (!entry.result) return { kind: 'in_progress' };
    return { kind: 'replay', ...entry.result };
  }

  complete(scope: string, key: string, status: number, body: string): void {
    const entry = this.entries.get(`${scope}\u0000${key}`);
    if (entry) entry.result = { status, body };
  }

  abandon(scope: string, key: string): void {
    this.entries.delete(`${scope}\u0000${key}`);
  }

  clear(): void {
    this.entries.clear();
  }

  private prune(): void {
    const oldest = this.now() - this.ttlMs;
    for (const [id, entry] of this.entries) {
      if (entry.createdAt >= oldest) break; // insertion order is creation order
      this.entries.delete(id);
    }
  }
}
