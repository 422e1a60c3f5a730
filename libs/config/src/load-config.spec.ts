import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { appConfigSchema } from './config.schema';
import { AppConfig } from './app-config';
import { DEVELOPMENT_SECRETS } from './live-mode';
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
  TWO_STEP_PIN_KEY: Buffer.alloc(32, 6).toString('base64'),
  KYC_SEALING_KEY: Buffer.alloc(32, 5).toString('base64'),
  WEBHOOK_SECRETS_KEY: Buffer.alloc(32, 9).toString('base64'),
  WHATSAPP_CODE_SMS_SENDERS: '+15550001111',
};

describe('loadConfig', () => {
  it('applies defaults and types the result', () => {
    const config = AppConfig.fromEnv(valid);
    expect(config.redis.prefix).toBe('{numbers}');
    expect(config.gateway.port).toBe(3000);
    expect(config.sipCredentialKeys).toEqual({ current: Buffer.alloc(32, 7), previous: [] });
  });

  it('reads REDIS_CLUSTER_NODES as a cluster (REDIS_URL then unused), REDIS_URL as one server, and wants one of them', () => {
    expect(AppConfig.fromEnv(valid).redis.target).toEqual({ cluster: false, url: 'redis://127.0.0.1:6379' });
    const cluster = AppConfig.fromEnv({ ...valid, REDIS_URL: undefined, REDIS_CLUSTER_NODES: '10.0.0.1:7000, rediss://user:pw@10.0.0.2:7001' });
    expect(cluster.redis.target).toEqual({ cluster: true, nodes: ['redis://10.0.0.1:7000', 'rediss://user:pw@10.0.0.2:7001'] });
    expect(() => AppConfig.fromEnv({ ...valid, REDIS_CLUSTER_NODES: '10.0.0.1' })).toThrow(/REDIS_CLUSTER_NODES: must be comma-separated host:port/);
    expect(() => AppConfig.fromEnv({ ...valid, REDIS_CLUSTER_NODES: 'redis://10.0.0.1:7000/2' })).toThrow(/REDIS_CLUSTER_NODES/);
    expect(() => AppConfig.fromEnv({ ...valid, REDIS_URL: undefined })).toThrow(/REDIS_URL: required unless REDIS_CLUSTER_NODES is set/);
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

  it('keeps records 7 days (outbox), 30 days (webhook events, delivery logs) and 48 h (idempotency keys) by default, never a key under its 24 h', () => {
    const DAY = 24 * 3_600_000;
    expect(AppConfig.fromEnv(valid).pruning).toEqual({ outboxMs: 7 * DAY, webhookEventsMs: 30 * DAY, idempotencyMs: 2 * DAY, webhookLogsMs: 30 * DAY, batchSize: 5000 });
    expect(() => AppConfig.fromEnv({ ...valid, IDEMPOTENCY_RETENTION_MS: String(DAY - 1) })).toThrow(/IDEMPOTENCY_RETENTION_MS: must be at least 24 h/);
    expect(() => AppConfig.fromEnv({ ...valid, PRUNE_BATCH_SIZE: '0' })).toThrow(/PRUNE_BATCH_SIZE/);
  });

  it('mounts the queue dashboard only with an ADMIN_TOKEN of at least 32 characters', () => {
    expect(AppConfig.fromEnv(valid).adminToken).toBeNull();
    expect(AppConfig.fromEnv({ ...valid, ADMIN_TOKEN: 'a'.repeat(32) }).adminToken).toBe('a'.repeat(32));
    expect(() => AppConfig.fromEnv({ ...valid, ADMIN_TOKEN: 'short' })).toThrow(/ADMIN_TOKEN: must be at least 32 characters/);
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
      'erase-expired-kyc': 3_600_000,
      'prune-records': 3_600_000,
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
    // Jobs waiting on providers hold no connection: more of them than the pool has connections.
    expect([config.workerConcurrency, config.databasePoolSize]).toEqual([128, 10]);
    expect(() => AppConfig.fromEnv({ ...valid, WORKER_CONCURRENCY: '501' })).toThrow(/WORKER_CONCURRENCY/);
    expect(config.idempotency).toEqual({ inFlightTimeoutMs: 60_000 });
    expect(config.shutdown).toEqual({ readinessDelayMs: 5_000, drainMs: 100_000 });
    expect(() => AppConfig.fromEnv({ ...valid, DATABASE_STATEMENT_TIMEOUT_MS: '0' })).toThrow(/DATABASE_STATEMENT_TIMEOUT_MS/);
  });

  it('rejects a SIP key that is not 32 bytes', () => {
    expect(() => AppConfig.fromEnv({ ...valid, SIP_CREDENTIALS_KEY: 'c2hvcnQ=' })).toThrow(/SIP_CREDENTIALS_KEY/);
  });

  it('keeps retired sealing keys for reading, a PIN key of its own, and KYC for 90 days by default', () => {
    const old = [Buffer.alloc(32, 1), Buffer.alloc(32, 2)];
    const rotated = AppConfig.fromEnv({ ...valid, SIP_CREDENTIALS_OLD_KEYS: ` ${old[0]?.toString('base64')}, ${old[1]?.toString('base64')} ,`, KYC_SEALING_OLD_KEYS: old[0]?.toString('base64') });
    expect(rotated.sipCredentialKeys).toEqual({ current: Buffer.alloc(32, 7), previous: old });
    expect(rotated.kyc).toEqual({ sealingKeys: { current: Buffer.alloc(32, 5), previous: [old[0]] }, retentionMs: 90 * 24 * 3600_000 });
    expect(rotated.webhooks.secretsKeys.previous).toEqual([]);
    expect(rotated.twoStepPinKey).toEqual(Buffer.alloc(32, 6));
    expect(AppConfig.fromEnv({ ...valid, KYC_RETENTION_DAYS: '30' }).kyc.retentionMs).toBe(30 * 24 * 3600_000);
    for (const name of ['SIP_CREDENTIALS_OLD_KEYS', 'WEBHOOK_SECRETS_OLD_KEYS', 'KYC_SEALING_OLD_KEYS']) {
      expect(() => AppConfig.fromEnv({ ...valid, [name]: `${key32},c2hvcnQ=` })).toThrow(new RegExp(name));
    }
    for (const name of ['TWO_STEP_PIN_KEY', 'KYC_SEALING_KEY']) expect(() => AppConfig.fromEnv({ ...valid, [name]: undefined })).toThrow(new RegExp(name));
    expect(() => AppConfig.fromEnv({ ...valid, KYC_RETENTION_DAYS: '0' })).toThrow(/KYC_RETENTION_DAYS/);
  });

  it('sends customer webhooks over https only and never to loopback unless told, retried for a day', () => {
    const config = AppConfig.fromEnv(valid);
    expect(config.webhooks).toEqual({
      allowLoopback: false,
      requireHttps: true,
      timeoutMs: 10_000,
      retry: { firstDelayMs: 10_000, factor: 4, maxDelayMs: 6 * 3600_000, windowMs: 24 * 3600_000 },
      secretsKeys: { current: Buffer.alloc(32, 9), previous: [] },
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

describe('PROVIDER_MODE', () => {
  /** A complete live configuration: real provider hosts, Telnyx's id formats, secrets of its own. */
  const live = {
    ...valid,
    PROVIDER_MODE: 'live',
    STRIPE_API_BASE_URL: 'https://api.stripe.com',
    TELNYX_API_BASE_URL: 'https://api.telnyx.com/v2',
    META_GRAPH_BASE_URL: 'https://graph.facebook.com',
    META_WABA_ID: '109876543210987',
    META_VERIFY_TOKEN: 'a-token-of-our-own',
    TELNYX_CALL_CONTROL_APP_ID: '1293384261075731499',
    TELNYX_MESSAGING_PROFILE_ID: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
  };
  const problems = (env: Record<string, string | undefined>): string[] => {
    const parsed = appConfigSchema.safeParse(env);
    return parsed.success ? [] : parsed.error.issues.map((issue) => issue.path.join('.'));
  };

  it('is simulator by default, which fills in the WhatsApp Business Account and the Call Control application', () => {
    const config = AppConfig.fromEnv(valid);
    expect(config.providerMode).toBe('simulator');
    expect(config.meta.wabaId).toBe('102290129340398');
    expect(config.calling.callControlAppId).toBe('numbers-whatsapp-calling');
    expect(config.telnyx.messagingProfileId).toBeNull();
    expect(() => AppConfig.fromEnv({ ...valid, PROVIDER_MODE: 'production' })).toThrow(/PROVIDER_MODE/);
  });

  it('takes a complete live configuration as given', () => {
    const config = AppConfig.fromEnv(live);
    expect(config.providerMode).toBe('live');
    expect(config.meta.wabaId).toBe('109876543210987');
    expect(config.calling).toMatchObject({ callControlAppId: '1293384261075731499', forwardAllowLoopback: false });
    expect(config.telnyx.messagingProfileId).toBe('3fa85f64-5717-4562-b3fc-2c963f66afa6');
  });

  it('requires in live what the simulator fills in, naming each with what it is for', () => {
    const missing = ['META_WABA_ID', 'TELNYX_CALL_CONTROL_APP_ID', 'TELNYX_MESSAGING_PROFILE_ID', 'META_VERIFY_TOKEN'];
    for (const name of missing) {
      expect(problems({ ...live, [name]: undefined })).toEqual([name]);
      expect(problems({ ...valid, [name]: undefined })).toEqual([]);
    }
    expect(() => AppConfig.fromEnv({ ...live, TELNYX_MESSAGING_PROFILE_ID: undefined })).toThrow(
      /TELNYX_MESSAGING_PROFILE_ID: required when PROVIDER_MODE=live \(the messaging profile that receives WhatsApp's activation SMS\)/,
    );
  });

  it("names live problems together with every other bad setting", () => {
    expect(problems({ ...live, META_WABA_ID: undefined, DATABASE_URL: undefined })).toEqual(expect.arrayContaining(['META_WABA_ID', 'DATABASE_URL']));
  });

  it("wants Telnyx's own id formats in live: numeric connections, UUID messaging profiles", () => {
    expect(problems({ ...live, TELNYX_CALL_CONTROL_APP_ID: 'numbers-whatsapp-calling' })).toEqual(['TELNYX_CALL_CONTROL_APP_ID']);
    expect(problems({ ...live, TELNYX_CONNECTION_ID: 'my-sip-connection' })).toEqual(['TELNYX_CONNECTION_ID']);
    expect(problems({ ...live, TELNYX_CONNECTION_ID: '1494404757140276705' })).toEqual([]);
    expect(problems({ ...live, TELNYX_MESSAGING_PROFILE_ID: 'profile-1' })).toEqual(['TELNYX_MESSAGING_PROFILE_ID']);
    expect(problems({ ...valid, TELNYX_CALL_CONTROL_APP_ID: 'numbers-whatsapp-calling', TELNYX_MESSAGING_PROFILE_ID: 'profile-1' })).toEqual([]);
  });

  it('wants https provider URLs in live', () => {
    expect(problems({ ...live, STRIPE_API_BASE_URL: 'http://127.0.0.1:4010', TELNYX_API_BASE_URL: 'http://api.telnyx.com/v2', META_GRAPH_BASE_URL: 'http://graph.facebook.com' })).toEqual([
      'STRIPE_API_BASE_URL',
      'TELNYX_API_BASE_URL',
      'META_GRAPH_BASE_URL',
    ]);
  });

  it('never forwards calls to loopback in live', () => {
    expect(problems({ ...live, CALL_FORWARD_ALLOW_LOOPBACK: 'true' })).toEqual(['CALL_FORWARD_ALLOW_LOOPBACK']);
    expect(problems({ ...valid, CALL_FORWARD_ALLOW_LOOPBACK: 'true' })).toEqual([]);
  });

  it('refuses in live every development secret committed in env/local.env, and never prints it', () => {
    const localEnv = parseEnv(readFileSync(join(__dirname, '../../../env/local.env'), 'utf8'));
    const secrets = Object.keys(DEVELOPMENT_SECRETS);
    // Every secret-looking setting of env/local.env is one the live check knows about.
    const secretLike = Object.keys(localEnv).filter((name) => /KEY|SECRET|TOKEN/.test(name) && name !== 'TELNYX_SIGNING_PRIVATE_KEY');
    expect(secrets).toEqual(expect.arrayContaining(secretLike));
    for (const name of secrets) {
      const committed = localEnv[name] as string;
      expect(problems({ ...live, [name]: committed })).toEqual([name]);
      expect(problems({ ...valid, [name]: committed })).toEqual([]);
      let message = '';
      try {
        AppConfig.fromEnv({ ...live, [name]: committed });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toContain(`${name}: is a development secret committed to this repository`);
      expect(message).not.toContain(committed);
    }
  });
});

describe('tracing', () => {
  it('is off by default, on with an OTLP endpoint, and TRACING_ENABLED decides either way', () => {
    expect(AppConfig.fromEnv(valid).tracing.enabled).toBe(false);
    expect(AppConfig.fromEnv({ ...valid, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).tracing.enabled).toBe(true);
    expect(AppConfig.fromEnv({ ...valid, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', TRACING_ENABLED: 'false' }).tracing.enabled).toBe(false);
    expect(AppConfig.fromEnv({ ...valid, TRACING_ENABLED: 'true' }).tracing.enabled).toBe(true);
    expect(() => AppConfig.fromEnv({ ...valid, OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
    expect(() => AppConfig.fromEnv({ ...valid, TRACING_ENABLED: 'yes' })).toThrow(/TRACING_ENABLED/);
  });
});
