import { isRetryableStatus, ProviderError, redactSecrets } from './provider-error';

describe('ProviderError', () => {
  it('tells retryable outcomes from permanent ones', () => {
    expect([null, 408, 409, 429, 500, 503].map(isRetryableStatus)).toEqual([true, true, true, true, true, true]);
    expect([400, 401, 402, 403, 404, 422].map(isRetryableStatus)).toEqual([false, false, false, false, false, false]);
  });

  it('never carries secrets in its message or detail', () => {
    const error = new ProviderError({
      provider: 'stripe',
      operation: 'customers.create',
      status: 401,
      code: 'api_key_invalid',
      retryable: false,
      detail: 'Invalid API Key provided: sk_test_abc123; Authorization: Bearer tok_secret; KEY0123456789ABCDEF; whsec_zzz',
    });
    for (const secret of ['sk_test_abc123', 'tok_secret', 'KEY0123456789ABCDEF', 'whsec_zzz']) {
      expect(error.message).not.toContain(secret);
      expect(error.detail).not.toContain(secret);
    }
    expect(error.message).toContain('stripe customers.create failed: 401 api_key_invalid');
  });

  it('redacts Graph tokens passed in a query string', () => {
    expect(redactSecrets('GET /v21.0/1?access_token=EAAB123&fields=id')).toBe('GET /v21.0/1?access_token=[redacted]&fields=id');
  });
});
