/** How much load and how many faults a run makes. */
export interface ChaosProfile {
  name: 'short' | 'full';
  /** US numbers bought over scale-plan accounts (25 numbers each at most), the calling account's included. */
  usPurchases: number;
  /** DE numbers bought through KYC (regulatory review, approved by the simulated reviewer). */
  regulatedPurchases: number;
  /** Numbers released: half once active, half right after their purchase. */
  releases: number;
  /** Calls placed from the calling account's numbers, to consumers who allowed them. */
  calls: number;
  /** Purchase and call requests in flight at once. */
  concurrency: number;
  /** Purchases, and calls, start evenly over this span, so the faults late in the window meet work in flight. */
  loadSpreadMs: number;
  /** How long faults are injected. */
  faultWindowMs: number;
  /** Between two process kills. */
  killEveryMs: number;
  /** How long a provider answers 500, or hangs. */
  providerFaultMs: number;
  /** After the last fault: how long the system may take to finish every piece of work. */
  quiescenceTimeoutMs: number;
}

export const PROFILES: Record<ChaosProfile['name'], ChaosProfile> = {
  short: {
    name: 'short',
    usPurchases: 16,
    regulatedPurchases: 4,
    releases: 4,
    calls: 20,
    concurrency: 4,
    loadSpreadMs: 30_000,
    faultWindowMs: 35_000,
    killEveryMs: 6_000,
    providerFaultMs: 3_000,
    quiescenceTimeoutMs: 90_000,
  },
  full: {
    name: 'full',
    usPurchases: 180,
    regulatedPurchases: 24,
    releases: 20,
    calls: 200,
    concurrency: 8,
    loadSpreadMs: 240_000,
    faultWindowMs: 300_000,
    killEveryMs: 5_000,
    providerFaultMs: 20_000,
    quiescenceTimeoutMs: 180_000,
  },
};
