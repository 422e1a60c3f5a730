import { testEnv } from './test-env';

describe('testEnv', () => {
  const required = {
    DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/numbers_t_x',
    REDIS_PREFIX: '{numbers-t-abc}',
    REDIS_URL: 'redis://127.0.0.1:6390',
  };

  it('starts from env/local.env and applies the test database and Redis', () => {
    const env = testEnv(required);
    expect(env).toMatchObject({ ...required, STRIPE_API_KEY: 'sk_test_numbers_local', META_API_VERSION: 'v21.0' });
  });

  it('moves every local URL along with a changed port', () => {
    const env = testEnv({ ...required, GATEWAY_PORT: '41000', SIMULATOR_PORT: '42000' });
    expect(env).toMatchObject({
      GATEWAY_PORT: '41000',
      PUBLIC_BASE_URL: 'http://127.0.0.1:41000',
      SIMULATOR_WEBHOOK_TARGET: 'http://127.0.0.1:41000',
      SIMULATOR_PORT: '42000',
      SIMULATOR_PUBLIC_URL: 'http://127.0.0.1:42000',
      STRIPE_API_BASE_URL: 'http://127.0.0.1:42000',
      TELNYX_API_BASE_URL: 'http://127.0.0.1:42000/v2',
      META_GRAPH_BASE_URL: 'http://127.0.0.1:42000/graph',
    });
  });

  it('does not chain moves when a new port is another old one', () => {
    const env = testEnv({ ...required, GATEWAY_PORT: '4010', SIMULATOR_PORT: '5000' });
    expect(env.PUBLIC_BASE_URL).toBe('http://127.0.0.1:4010');
    expect(env.STRIPE_API_BASE_URL).toBe('http://127.0.0.1:5000');
  });

  it('lets an explicit value win and removes variables set to undefined', () => {
    const env = testEnv({ ...required, GATEWAY_PORT: '41000', PUBLIC_BASE_URL: 'https://numbers.test', STRIPE_API_KEY: undefined });
    expect(env.PUBLIC_BASE_URL).toBe('https://numbers.test');
    expect(env).not.toHaveProperty('STRIPE_API_KEY');
  });
});
