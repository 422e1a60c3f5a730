import { setTimeout as delay } from 'node:timers/promises';

/** What one offered request came back with. */
export interface Offered<T> {
  /** performance.now() when it was sent, and how long its answer took. */
  sentAt: number;
  latencyMs: number;
  answer: T | Error;
}

const TICK_MS = 5;

/**
 * Open-loop offering: request i is sent at i / rate seconds whether or not the earlier ones have
 * been answered (a closed loop of C connections offers less the slower the server answers, and
 * so hides an overload). A late timer sends the requests due meanwhile at once.
 */
export async function offerAtRate<T>(rate: number, seconds: number, send: (i: number) => Promise<T>): Promise<Offered<T>[]> {
  const total = Math.round(rate * seconds);
  const inFlight: Promise<Offered<T>>[] = [];
  const started = performance.now();
  while (inFlight.length < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) * rate) / 1000) + 1);
    while (inFlight.length < due) {
      const i = inFlight.length;
      const sentAt = performance.now();
      inFlight.push(
        send(i).then(
          (answer) => ({ sentAt, latencyMs: performance.now() - sentAt, answer }),
          (error: unknown) => ({ sentAt, latencyMs: performance.now() - sentAt, answer: error instanceof Error ? error : new Error(String(error)) }),
        ),
      );
    }
    await delay(TICK_MS);
  }
  return Promise.all(inFlight);
}
