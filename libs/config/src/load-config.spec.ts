import { appConfigSchema } from './config.schema';
import { AppConfig } from './app-config';
import { ConfigError, loadConfig } from './load-config';

const key32 = Buffer.alloc(32, 7).toString('base64');
const valid = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/numbers',
  REDIS_URL: 'redis://127.0.0.1:6379',
  STRIPE_API_KEY: 'sk_test_x',
  STRIPE_API_BASE_URL: 'http://127.0.0.1:4010',
  STRIPE_WEBHOOK_SECRET: 'whsec_x',
  TELNYX_API_KEY: 'KEY_x',
  TELNYX_API_BASE_URL: 'http://127.0.0.1:4010/v2',
  TELNYX_PUBLIC_KEY: key32,
  META_GRAPH_BASE_URL: 'http://127.0.0.1:4010/graph',
  META_ACCESS_TOKEN: 'token',
  META_APP_SECRET: 'secret',
  SIP_CREDENTIALS_KEY: key32,
};

describe('loadConfig', () => {
  it('applies defaults and types the result', () => {
    const config = AppConfig.fromEnv(valid);
    expect(config.redis.prefix).toBe('{numbers}');
    expect(config.gateway.port).toBe(3000);
    expect(config.sipCredentialsKey).toHaveLength(32);
  });

  it('names every missing or malformed variable and never prints values', () => {
    const env = { ...valid, DATABASE_URL: undefined, REDIS_PREFIX: 'numbers', META_APP_SECRET: '' };
    const leaky = { ...env, STRIPE_API_KEY: 'sk_live_secret', STRIPE_API_BASE_URL: 'nope' };
    expect(() => loadConfig(appConfigSchema, leaky)).toThrow(ConfigError);
    const message = (() => {
      try {
        loadConfig(appConfigSchema, leaky);
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    for (const name of ['DATABASE_URL', 'REDIS_PREFIX', 'META_APP_SECRET', 'STRIPE_API_BASE_URL']) {
      expect(message).toContain(name);
    }
    expect(message).not.toContain('sk_live_secret');
  });

  it('gives every scheduled sweep an interval and thresholds, a minute and minutes by default', () => {
    const config = AppConfig.fromEnv(valid);
    expect(config.schedules).toEqual({
      'reconcile-pending-checkouts': 60_000,
      'resume-stalled-provisioning': 60_000,
      'reconcile-subscription-quantities': 300_000,
      'prune-webhook-logs': 3_600_000,
    });
    expect(config.reconcile).toEqual({ batchSize: 100 });
    expect(config.sweeps).toEqual({
      batchSize: 50,
      checkoutGraceMs: 900_000,
      checkoutRecheckMs: 1_800_000,
      provisioningStalledMs: 900_000,
      whatsappCodeTimeoutMs: 600_000,
      whatsappCodeMaxRequests: 3,
    });
    const short = AppConfig.fromEnv({ ...valid, SCHEDULE_RESUME_STALLED_PROVISIONING_MS: '200', PROVISIONING_STALLED_MS: '1000' });
    expect(short.schedules['resume-stalled-provisioning']).toBe(200);
    expect(short.sweeps.provisioningStalledMs).toBe(1000);
    expect(() => AppConfig.fromEnv({ ...valid, SCHEDULE_RECONCILE_PENDING_CHECKOUTS_MS: '0' })).toThrow(/SCHEDULE_RECONCILE_PENDING_CHECKOUTS_MS/);
    expect(() => AppConfig.fromEnv({ ...valid, WHATSAPP_CODE_MAX_REQUESTS: 'many' })).toThrow(/WHATSAPP_CODE_MAX_REQUESTS/);
  });

  it('rejects a SIP key that is not 32 bytes', () => {
    expect(() => AppConfig.fromEnv({ ...valid, SIP_CREDENTIALS_KEY: 'c2hvcnQ=' })).toThrow(/SIP_CREDENTIALS_KEY/);
  });
});
