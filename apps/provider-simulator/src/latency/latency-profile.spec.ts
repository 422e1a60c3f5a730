import { criticalPathMs, INLINE_PURCHASE_PATH, LATENCY_PROFILES, LatencySampler, seededRandom, type LatencyProfile } from './latency-profile';

const realistic = LATENCY_PROFILES.realistic;

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

describe('latency profile', () => {
  it('draws the same delays from the same seed, other delays from another', () => {
    const draw = (seed: number) => {
      const sampler = new LatencySampler(realistic, seed);
      return Array.from({ length: 20 }, () => sampler.sample(300));
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(8)).not.toEqual(draw(7));
  });

  it('seeded uniforms stay in [0, 1)', () => {
    const random = seededRandom(42);
    const values = Array.from({ length: 10_000 }, random);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
  });

  it.each<[string, number, (sampler: LatencySampler) => number]>([
    ['a Stripe call', 300, (s) => s.apiCall('stripe', 'POST', '/v1/invoiceitems')],
    ['a Telnyx call', 300, (s) => s.apiCall('telnyx', 'GET', '/v2/available_phone_numbers')],
    ['a Telnyx number order', 1500, (s) => s.apiCall('telnyx', 'POST', '/v2/number_orders')],
    ['a Meta call', 400, (s) => s.apiCall('meta', 'POST', '/graph/v21.0/1/register')],
    ['a number order completion', 2000, (s) => s.webhook('telnyx', 'number_order.complete')],
    ['the activation SMS', 3000, (s) => s.webhook('telnyx', 'message.received')],
  ])('puts the p50 of %s within 5%% of %d ms, spread log-normally', (_name, p50, draw) => {
    const sampler = new LatencySampler(realistic, p50);
    const delays = Array.from({ length: 4000 }, () => draw(sampler));
    expect(Math.abs(quantile(delays, 0.5) - p50) / p50).toBeLessThan(0.05);
    // sigma 0.25: p99 at exp(2.326 x 0.25) = 1.79 x p50.
    expect(quantile(delays, 0.99) / p50).toBeGreaterThan(1.6);
    expect(quantile(delays, 0.99) / p50).toBeLessThan(2);
    expect(Math.min(...delays)).toBeGreaterThan(0);
  });

  it('never waits with the none profile', () => {
    const sampler = new LatencySampler(LATENCY_PROFILES.none, 1);
    expect(sampler.instant).toBe(true);
    expect(sampler.apiCall('telnyx', 'POST', '/v2/number_orders')).toBe(0);
    expect(sampler.webhook('telnyx', 'message.received')).toBe(0);
  });

  it('sums the p50s of a path: the inline purchase under the realistic profile', () => {
    // search 300 + order 1500 + completion 2000 + phone number 400 + request code 400 + SMS 3000 + verify 400 + register 400
    expect(criticalPathMs(realistic, INLINE_PURCHASE_PATH)).toBe(8400);
    expect(criticalPathMs(LATENCY_PROFILES.none, INLINE_PURCHASE_PATH)).toBe(0);
  });

  it('takes a named call or event over the provider default', () => {
    const profile: LatencyProfile = {
      ...realistic,
      calls: [{ provider: 'stripe', method: 'POST', path: /^\/v1\/subscriptions$/, p50Ms: 900 }],
      webhooks: { 'stripe:invoice.paid': 50 },
    };
    expect(
      criticalPathMs(profile, [
        { kind: 'call', provider: 'stripe', method: 'POST', path: '/v1/subscriptions' },
        { kind: 'call', provider: 'stripe', method: 'GET', path: '/v1/subscriptions' },
        { kind: 'webhook', provider: 'stripe', eventType: 'invoice.paid' },
        { kind: 'webhook', provider: 'stripe', eventType: 'customer.updated' },
      ]),
    ).toBe(900 + 300 + 50 + 1000);
  });
});
