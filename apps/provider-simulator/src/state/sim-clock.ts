import { unixSeconds } from '../shared/clock';

/**
 * The simulator's notion of "now" for provider objects (Stripe's `created`, periods, trials,
 * checkout expiry), like a Stripe test clock. It follows real time plus an offset, or stands
 * still once frozen; `advance` moves it on either way. Webhook signature timestamps do not use
 * it: receivers check those against their own real clock.
 */
export class SimClock {
  private offsetSeconds = 0;
  private frozenAt: number | null = null;

  now(): number {
    return this.frozenAt ?? unixSeconds() + this.offsetSeconds;
  }

  isFrozen(): boolean {
    return this.frozenAt !== null;
  }

  advance(seconds: number): number {
    if (this.frozenAt !== null) this.frozenAt += seconds;
    else this.offsetSeconds += seconds;
    return this.now();
  }

  /** Jumps to `at` (unix seconds); frozen there, or running on from there. */
  set(at: number, frozen: boolean): number {
    if (frozen) {
      this.frozenAt = at;
    } else {
      this.frozenAt = null;
      this.offsetSeconds = at - unixSeconds();
    }
    return this.now();
  }

  reset(): void {
    this.offsetSeconds = 0;
    this.frozenAt = null;
  }
}
