import type { ProviderName } from '../shared/provider-name';

/** The profiles `SIMULATOR_LATENCY` selects. */
export const LATENCY_PROFILE_NAMES = ['none', 'realistic'] as const;
export type LatencyProfileName = (typeof LATENCY_PROFILE_NAMES)[number];

/** One API call a profile can single out: its provider, method and path as requested. */
export interface ApiCallMatch {
  provider: ProviderName;
  method: string;
  /** Matches the path (query string removed) exactly. */
  path: RegExp;
  p50Ms: number;
}

/**
 * How long a real provider takes: each API answer and each webhook is held for a delay drawn
 * from a log-normal distribution whose median is the p50 given here (`sigma` its spread).
 * A webhook's delay counts from the moment the simulator would have sent it.
 */
export interface LatencyProfile {
  name: LatencyProfileName;
  /** Spread of log(delay): 0.25 puts p99 at about 1.8 x p50. */
  sigma: number;
  /** p50 of any API call of a provider, unless `calls` names it. */
  apiP50Ms: Record<ProviderName, number>;
  calls: readonly ApiCallMatch[];
  /** p50 of any webhook of a provider, unless `webhooks` names its event type. */
  webhookP50Ms: Record<ProviderName, number>;
  /** Keyed `provider:eventType` (`telnyx:number_order.complete`). */
  webhooks: Readonly<Record<string, number>>;
}

const NONE: LatencyProfile = {
  name: 'none',
  sigma: 0,
  apiP50Ms: { stripe: 0, telnyx: 0, meta: 0 },
  calls: [],
  webhookP50Ms: { stripe: 0, telnyx: 0, meta: 0 },
  webhooks: {},
};

// Figures from the providers' public status pages and our own traces, rounded (issue 15).
const REALISTIC: LatencyProfile = {
  name: 'realistic',
  sigma: 0.25,
  apiP50Ms: { stripe: 300, telnyx: 300, meta: 400 },
  calls: [{ provider: 'telnyx', method: 'POST', path: /^\/v2\/number_orders$/, p50Ms: 1500 }],
  webhookP50Ms: { stripe: 1000, telnyx: 1000, meta: 1000 },
  webhooks: {
    // The carrier completes a number order about 2 s after accepting it.
    'telnyx:number_order.complete': 2000,
    // The activation SMS Meta sends reaches the carrier's number about 3 s after the request.
    'telnyx:message.received': 3000,
  },
};

export const LATENCY_PROFILES: Record<LatencyProfileName, LatencyProfile> = { none: NONE, realistic: REALISTIC };

export function apiCallP50Ms(profile: LatencyProfile, provider: ProviderName, method: string, path: string): number {
  const match = profile.calls.find((call) => call.provider === provider && call.method === method && call.path.test(path));
  return match ? match.p50Ms : profile.apiP50Ms[provider];
}

export function webhookP50Ms(profile: LatencyProfile, provider: ProviderName, eventType: string | null): number {
  return (eventType !== null ? profile.webhooks[`${provider}:${eventType}`] : undefined) ?? profile.webhookP50Ms[provider];
}

/** mulberry32: a small seeded generator of uniforms in [0, 1), so a run's delays repeat. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws delays of a profile: log-normal around each p50 (Box-Muller on the seeded uniforms). */
export class LatencySampler {
  private readonly random: () => number;

  constructor(readonly profile: LatencyProfile, seed: number) {
    this.random = seededRandom(seed);
  }

  /** True for a profile that never waits (`none`): callers skip it altogether. */
  get instant(): boolean {
    return this.profile.name === 'none';
  }

  /** A delay whose median is `p50Ms`; 0 stays 0, so the `none` profile never waits. */
  sample(p50Ms: number): number {
    if (p50Ms <= 0) return 0;
    if (this.profile.sigma === 0) return p50Ms;
    const u1 = 1 - this.random(); // (0, 1]: log(0) is not a number
    const u2 = this.random();
    const normal = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    return Math.round(p50Ms * Math.exp(this.profile.sigma * normal));
  }

  apiCall(provider: ProviderName, method: string, path: string): number {
    return this.sample(apiCallP50Ms(this.profile, provider, method, path));
  }

  webhook(provider: ProviderName, eventType: string | null): number {
    return this.sample(webhookP50Ms(this.profile, provider, eventType));
  }
}

/** One step on a number's way to active: an API call awaited, or a webhook awaited. */
export type PathStep =
  | { kind: 'call'; provider: ProviderName; method: string; path: string }
  | { kind: 'webhook'; provider: ProviderName; eventType: string };

/** The sum of the p50 delays on a path: the least time to active the profile allows at its median. */
export function criticalPathMs(profile: LatencyProfile, steps: readonly PathStep[]): number {
  return steps.reduce(
    (sum, step) =>
      sum + (step.kind === 'call' ? apiCallP50Ms(profile, step.provider, step.method, step.path) : webhookP50Ms(profile, step.provider, step.eventType)),
    0,
  );
}

/**
 * The provider exchanges one number bought inline (on an account already subscribed) awaits in
 * turn, purchase to active: the carrier search and order, the order's completion, Meta's phone
 * number, code request, the activation SMS, verification and registration. Stripe's
 * subscription update runs beside them, off this path.
 */
export const INLINE_PURCHASE_PATH: readonly PathStep[] = [
  { kind: 'call', provider: 'telnyx', method: 'GET', path: '/v2/available_phone_numbers' },
  { kind: 'call', provider: 'telnyx', method: 'POST', path: '/v2/number_orders' },
  { kind: 'webhook', provider: 'telnyx', eventType: 'number_order.complete' },
  { kind: 'call', provider: 'meta', method: 'POST', path: '/graph/v21.0/WABA_ID/phone_numbers' },
  { kind: 'call', provider: 'meta', method: 'POST', path: '/graph/v21.0/PHONE_NUMBER_ID/request_code' },
  { kind: 'webhook', provider: 'telnyx', eventType: 'message.received' },
  { kind: 'call', provider: 'meta', method: 'POST', path: '/graph/v21.0/PHONE_NUMBER_ID/verify_code' },
  { kind: 'call', provider: 'meta', method: 'POST', path: '/graph/v21.0/PHONE_NUMBER_ID/register' },
];
