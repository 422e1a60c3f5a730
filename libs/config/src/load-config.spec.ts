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
  WEBHOOK_SECRETS_KEY: Buffer.alloc(32, 9).toString('base64'),
  WHATSAPP_CODE_SMS_SENDERS: '+15550001111',
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
      'sweep-stock-watches': 300_000,
      'resume-stalled-billing': 60_000,
      'resume-stalled-calling': 60_000,
      'redrive-failed-jobs': 60_000,
      'recover-lost-jobs': 60_000,
    });
    expect(config.recovery).toEqual({ redriveDelaysMs: [60_000, 300_000, 1_800_000, 7_200_000], lostJobAfterMs: 300_000, schedulerCheckMs: 30_000, batchSize: 50 });
    expect(AppConfig.fromEnv({ ...valid, REDRIVE_DELAYS_MS: '100,200' }).recovery.redriveDelaysMs).toEqual([100, 200]);
    expect(() => AppConfig.fromEnv({ ...valid, REDRIVE_DELAYS_MS: '1m' })).toThrow(/REDRIVE_DELAYS_MS/);
    expect(config.reconcile).toEqual({ batchSize: 100 });
    expect(config.stockWatches).toEqual({ batchSize: 100 });
    expect(config.sweeps).toEqual({
      batchSize: 50,
      checkoutGraceMs: 900_000,
      checkoutRecheckMs: 1_800_000,
      provisioningStalledMs: 180_000,
      registrationStalledMs: 180_000,
      whatsappCodeTimeoutMs: 600_000,
      whatsappCodeMaxRequests: 3,
      regulatoryRecheckMs: 3_600_000,
      releaseStalledMs: 300_000,
      billingStartStalledMs: 300_000,
      callingSyncStalledMs: 180_000,
      callStalledMs: 900_000,
    });
    const short = AppConfig.fromEnv({ ...valid, SCHEDULE_RESUME_STALLED_PROVISIONING_MS: '200', PROVISIONING_STALLED_MS: '1000' });
    expect(short.schedules['resume-stalled-provisioning']).toBe(200);
    expect(short.sweeps.provisioningStalledMs).toBe(1000);
    expect(() => AppConfig.fromEnv({ ...valid, SCHEDULE_RECONCILE_PENDING_CHECKOUTS_MS: '0' })).toThrow(/SCHEDULE_RECONCILE_PENDING_CHECKOUTS_MS/);
    expect(() => AppConfig.fromEnv({ ...valid, WHATSAPP_CODE_MAX_REQUESTS: 'many' })).toThrow(/WHATSAPP_CODE_MAX_REQUESTS/);
  });

  it("lists the senders of Meta's code SMS, and needs at least one", () => {
    expect(AppConfig.fromEnv({ ...valid, WHATSAPP_CODE_SMS_SENDERS: ' +15550001111, WhatsApp ,' }).meta.codeSmsSenders).toEqual(['+15550001111', 'WhatsApp']);
    for (const senders of [undefined, '', ' , ']) expect(() => AppConfig.fromEnv({ ...valid, WHATSAPP_CODE_SMS_SENDERS: senders })).toThrow(/WHATSAPP_CODE_SMS_SENDERS/);
  });

  it('bounds database waits, Idempotency-Key claims and shutdown by default', () => {
    const config = AppConfig.fromEnv(valid);
    expect([config.databaseConnectTimeoutMs, config.databaseStatementTimeoutMs]).toEqual([10_000, 30_000]);
    expect(config.idempotency).toEqual({ inFlightTimeoutMs: 60_000 });
    expect(config.shutdown).toEqual({ readinessDelayMs: 5_000, drainMs: 100_000 });
    expect(() => AppConfig.fromEnv({ ...valid, DATABASE_STATEMENT_TIMEOUT_MS: '0' })).toThrow(/DATABASE_STATEMENT_TIMEOUT_MS/);
  });

  it('rejects a SIP key that is not 32 bytes', () => {
    expect(() => AppConfig.fromEnv({ ...valid, SIP_CREDENTIALS_KEY: 'c2hvcnQ=' })).toThrow(/SIP_CREDENTIALS_KEY/);
  });

  it('sends customer webhooks over https only and never to loopback unless told, retried for a day', () => {
    const config = AppConfig.fromEnv(valid);
    expect(config.webhooks).toEqual({
      allowLoopback: false,
      requireHttps: true,
      timeoutMs: 10_000,
      retry: { firstDelayMs: 10_000, factor: 4, maxDelayMs: 6 * 3600_000, windowMs: 24 * 3600_000 },
      secretsKey: Buffer.alloc(32, 9),
    });
    const local = AppConfig.fromEnv({ ...valid, WEBHOOKS_ALLOW_LOOPBACK: 'true', WEBHOOKS_REQUIRE_HTTPS: 'false', WEBHOOK_RETRY_FACTOR: '2.5' });
    expect(local.webhooks).toMatchObject({ allowLoopback: true, requireHttps: false, retry: { factor: 2.5 } });
  });

  it('refuses a malformed webhook setting or a missing secrets key, naming it', () => {
    expect(() => AppConfig.fromEnv({ ...valid, WEBHOOKS_ALLOW_LOOPBACK: 'yes' })).toThrow(/WEBHOOKS_ALLOW_LOOPBACK/);
    expect(() => AppConfig.fromEnv({ ...valid, WEBHOOK_TIMEOUT_MS: '0' })).toThrow(/WEBHOOK_TIMEOUT_MS/);
    expect(() => AppConfig.fromEnv({ ...valid, WEBHOOK_RETRY_FACTOR: '0.5' })).toThrow(/WEBHOOK_RETRY_FACTOR/);
    expect(() => AppConfig.fromEnv({ ...valid, WEBHOOK_SECRETS_KEY: undefined })).toThrow(/WEBHOOK_SECRETS_KEY/);
    expect(() => AppConfig.fromEnv({ ...valid, WEBHOOK_SECRETS_KEY: 'c2hvcnQ=' })).toThrow(/WEBHOOK_SECRETS_KEY/);
  });
});
