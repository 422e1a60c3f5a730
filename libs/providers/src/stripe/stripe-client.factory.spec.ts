import { createStripeClient, stripeCallLimitMs } from './stripe-client.factory';

const settings = { apiKey: 'sk_test_x', webhookSecret: 'whsec_x', priceId: 'price_x', timeoutMs: 10_000 };

describe('createStripeClient', () => {
  it('refuses a base URL with a path, since the SDK adds /v1 itself', () => {
    expect(() => createStripeClient({ ...settings, apiBaseUrl: 'http://127.0.0.1:4010/v1' })).toThrow(/STRIPE_API_BASE_URL/);
  });

  it('accepts scheme, host and port', () => {
    expect(() => createStripeClient({ ...settings, apiBaseUrl: 'http://127.0.0.1:4010' })).not.toThrow();
  });
});

describe('stripeCallLimitMs', () => {
  it('is three tries of the timeout and the two longest waits between them', () => {
    expect(stripeCallLimitMs({ ...settings, apiBaseUrl: 'http://127.0.0.1:4010' })).toBe(3 * 10_000 + 2 * 5_000);
  });
});
