import { appConfigSchema, redisTargetOf, tracingEnabled, type AppConfigEnv, type RedisTarget } from './config.schema';
import { loadConfig } from './load-config';

/**
 * The keys of one kind of sealed secret: `current` seals, `previous` (retired by a rotation) only
 * open what they sealed before.
 */
export interface SealingKeys {
  readonly current: Buffer;
  readonly previous: readonly Buffer[];
}

function sealingKeys(current: string, previous: readonly string[]): SealingKeys {
  return { current: Buffer.from(current, 'base64'), previous: previous.map((key) => Buffer.from(key, 'base64')) };
}

/** The typed configuration every Numbers process receives by injection. */
export class AppConfig {
  /** `simulator` or `live` (PROVIDER_MODE): docs/providers.md. */
  readonly providerMode: AppConfigEnv['PROVIDER_MODE'];
  readonly databaseUrl: string;
  readonly databasePoolSize: number;
  /** Statements run as named (prepared) statements (DATABASE_NAMED_STATEMENTS). */
  readonly databaseNamedStatements: boolean;
  /** How long a unit of work waits for a connection (DATABASE_CONNECT_TIMEOUT_MS). */
  readonly databaseConnectTimeoutMs: number;
  /** The server's `statement_timeout` on every connection (DATABASE_STATEMENT_TIMEOUT_MS). */
  readonly databaseStatementTimeoutMs: number;
  /** `target`: one server (REDIS_URL) or a cluster (REDIS_CLUSTER_NODES); `prefix`: REDIS_PREFIX, a hash tag. */
  readonly redis: { target: RedisTarget; prefix: string };
  readonly logLevel: AppConfigEnv['LOG_LEVEL'];
  /** Whether spans are recorded (OTEL_EXPORTER_OTLP_ENDPOINT, TRACING_ENABLED): BullMQ then carries their context from producer to worker. */
  readonly tracing: { enabled: boolean };
  readonly gateway: { port: number; publicBaseUrl: string; rateLimitPerMinute: number };
  /** The queue dashboard's token (ADMIN_TOKEN); null: the dashboard is not mounted. */
  readonly adminToken: string | null;
  /** `timeoutMs`: each try of a Stripe call (STRIPE_TIMEOUT_MS). */
  readonly stripe: { apiKey: string; apiBaseUrl: string; webhookSecret: string; priceId: string; timeoutMs: number };
  readonly telnyx: {
    apiKey: string;
    apiBaseUrl: string;
    publicKey: string;
    connectionId: string | null;
    messagingProfileId: string | null;
  };
  readonly meta: {
    graphBaseUrl: string;
    apiVersion: string;
    accessToken: string;
    appSecret: string;
    wabaId: string;
    /** The webhook subscription handshake's token; null refuses every handshake. */
    verifyToken: string | null;
    /** The senders Meta's activation-code SMS come from (WHATSAPP_CODE_SMS_SENDERS). */
    codeSmsSenders: readonly string[];
  };
  /** Seal SIP credentials (SIP_CREDENTIALS_KEY, SIP_CREDENTIALS_OLD_KEYS). */
  readonly sipCredentialKeys: SealingKeys;
  /** Derives the WhatsApp two-step verification PINs (TWO_STEP_PIN_KEY). */
  readonly twoStepPinKey: Buffer;
  /** KYC at rest: the keys that seal each document's and case's data key, and how long after a number ends its KYC is kept (KYC_*). */
  readonly kyc: { sealingKeys: SealingKeys; retentionMs: number };
  /** WhatsApp calling through the carrier (TELNYX_CALL_CONTROL_APP_ID, TELNYX_SIP_HOSTNAME, CALL_RING_TIMEOUT_SECONDS, CALL_FORWARD_ALLOW_LOOPBACK, CALL_ADMISSION_MAX_WAIT_MS). */
  readonly calling: { callControlAppId: string; sipHostname: string; ringTimeoutSeconds: number; forwardAllowLoopback: boolean; admissionMaxWaitMs: number };
  /** Webhooks to customers: where they may go, how long an attempt may take, how failures are retried, the key that seals secrets. */
  readonly webhooks: {
    allowLoopback: boolean;
    requireHttps: boolean;
    timeoutMs: number;
    retry: { firstDelayMs: number; factor: number; maxDelayMs: number; windowMs: number };
    secretsKeys: SealingKeys;
  };
  readonly outboxPollMs: number;
  /** How many jobs a provisioning, billing or calling worker runs at once (WORKER_CONCURRENCY). */
  readonly workerConcurrency: number;
  /** How many deliveries to customers' endpoints one delivery worker runs at once (WEBHOOK_DELIVERY_CONCURRENCY). */
  readonly deliveryConcurrency: number;
  /** Attempts to one customer endpoint in flight at once, cluster-wide (WEBHOOK_ENDPOINT_MAX_IN_FLIGHT). */
  readonly endpointMaxInFlight: number;
  readonly workerLockMs: number;
  /** Idempotency-Key claims: abandoned when not renewed for `inFlightTimeoutMs` (IDEMPOTENCY_IN_FLIGHT_TIMEOUT_MS). */
  readonly idempotency: { inFlightTimeoutMs: number };
  /**
   * Metrics and health (docs/operations.md): a worker's port for them (METRICS_PORT; null: the
   * app's default), how often numbers by state is counted (METRICS_NUMBERS_REFRESH_MS), and the
   * outbox lag past which a worker is not ready (READY_MAX_OUTBOX_LAG_MS).
   */
  readonly metrics: { port: number | null; numbersRefreshMs: number; readyMaxOutboxLagMs: number };
  /** What SIGTERM allows (GATEWAY_SHUTDOWN_DELAY_MS, SHUTDOWN_DRAIN_MS): docs/architecture.md, "Stopping". */
  readonly shutdown: { readinessDelayMs: number; drainMs: number };
  readonly sandbox: { phoneNumber: string; accountId: string; template: { name: string; language: string } };
  /** Every scheduled job's interval in ms, by job name (SCHEDULES in @numbers/contracts). */
  readonly schedules: {
    readonly 'reconcile-pending-checkouts': number;
    readonly 'resume-stalled-provisioning': number;
    readonly 'reconcile-subscription-quantities': number;
    readonly 'prune-webhook-logs': number;
    readonly 'sweep-stock-watches': number;
    readonly 'resume-stalled-billing': number;
    readonly 'resume-stalled-calling': number;
    readonly 'redrive-failed-jobs': number;
    readonly 'recover-lost-jobs': number;
    readonly 'erase-expired-kyc': number;
    readonly 'prune-records': number;
  };
  /** Attempts of a job that calls a provider (PROVIDER_CALL_ATTEMPTS). */
  readonly providerCallAttempts: number;
  /**
   * Failed and lost work (docs/architecture.md, "Failed work"): the waits before each re-drive
   * (REDRIVE_DELAYS_MS), how old an unfinished outbox job must be before it is looked up in BullMQ
   * (LOST_JOB_AFTER_MS), how often schedulers are checked (SCHEDULER_CHECK_MS), and how many
   * rows one run takes (SWEEP_BATCH_SIZE).
   */
  readonly recovery: { redriveDelaysMs: readonly number[]; lostJobAfterMs: number; schedulerCheckMs: number; batchSize: number };
  /**
   * How long kept records live (docs/operations.md, "Pruning"): outbox rows after they finished,
   * webhook events after they were processed, Idempotency-Key records after they completed,
   * delivery logs and customer events after they were created; and the rows one DELETE takes.
   */
  readonly pruning: { outboxMs: number; webhookEventsMs: number; idempotencyMs: number; webhookLogsMs: number; batchSize: number };
  /** sweep-stock-watches: how many (country, type, area) groups one run asks the carrier about (STOCK_WATCH_BATCH_SIZE). */
  readonly stockWatches: { batchSize: number };
  /** reconcile-subscription-quantities: how many accounts one run compares with Stripe (RECONCILE_BATCH_SIZE). */
  readonly reconcile: { batchSize: number };
  /** What the sweeps treat as stuck, and how much of it one run takes. */
  readonly sweeps: {
    batchSize: number;
    checkoutGraceMs: number;
    checkoutRecheckMs: number;
    provisioningStalledMs: number;
    registrationStalledMs: number;
    whatsappCodeTimeoutMs: number;
    whatsappCodeMaxRequests: number;
    regulatoryRecheckMs: number;
    releaseStalledMs: number;
    billingStartStalledMs: number;
    callingSyncStalledMs: number;
    callStalledMs: number;
  };

  constructor(env: AppConfigEnv) {
    this.providerMode = env.PROVIDER_MODE;
    this.databaseUrl = env.DATABASE_URL;
    this.databasePoolSize = env.DATABASE_POOL_SIZE;
    this.databaseNamedStatements = env.DATABASE_NAMED_STATEMENTS;
    this.databaseConnectTimeoutMs = env.DATABASE_CONNECT_TIMEOUT_MS;
    this.databaseStatementTimeoutMs = env.DATABASE_STATEMENT_TIMEOUT_MS;
    this.redis = { target: redisTargetOf(env), prefix: env.REDIS_PREFIX };
    this.logLevel = env.LOG_LEVEL;
    this.tracing = { enabled: tracingEnabled(env) };
    this.adminToken = env.ADMIN_TOKEN ?? null;
    this.gateway = {
      port: env.GATEWAY_PORT,
      publicBaseUrl: env.PUBLIC_BASE_URL,
      rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    };
    this.stripe = {
      apiKey: env.STRIPE_API_KEY,
      apiBaseUrl: env.STRIPE_API_BASE_URL,
      webhookSecret: env.STRIPE_WEBHOOK_SECRET,
      priceId: env.STRIPE_PRICE_ID,
      timeoutMs: env.STRIPE_TIMEOUT_MS,
    };
    this.telnyx = {
      apiKey: env.TELNYX_API_KEY,
      apiBaseUrl: env.TELNYX_API_BASE_URL,
      publicKey: env.TELNYX_PUBLIC_KEY,
      connectionId: env.TELNYX_CONNECTION_ID ?? null,
      messagingProfileId: env.TELNYX_MESSAGING_PROFILE_ID ?? null,
    };
    this.meta = {
      graphBaseUrl: env.META_GRAPH_BASE_URL,
      apiVersion: env.META_API_VERSION,
      accessToken: env.META_ACCESS_TOKEN,
      appSecret: env.META_APP_SECRET,
      wabaId: env.META_WABA_ID,
      verifyToken: env.META_VERIFY_TOKEN ?? null,
      codeSmsSenders: env.WHATSAPP_CODE_SMS_SENDERS,
    };
    this.sipCredentialKeys = sealingKeys(env.SIP_CREDENTIALS_KEY, env.SIP_CREDENTIALS_OLD_KEYS);
    this.twoStepPinKey = Buffer.from(env.TWO_STEP_PIN_KEY, 'base64');
    this.kyc = { sealingKeys: sealingKeys(env.KYC_SEALING_KEY, env.KYC_SEALING_OLD_KEYS), retentionMs: env.KYC_RETENTION_DAYS * 24 * 3600_000 };
    this.calling = {
      callControlAppId: env.TELNYX_CALL_CONTROL_APP_ID,
      sipHostname: env.TELNYX_SIP_HOSTNAME,
      ringTimeoutSeconds: env.CALL_RING_TIMEOUT_SECONDS,
      forwardAllowLoopback: env.CALL_FORWARD_ALLOW_LOOPBACK,
      admissionMaxWaitMs: env.CALL_ADMISSION_MAX_WAIT_MS,
    };
    this.webhooks = {
      allowLoopback: env.WEBHOOKS_ALLOW_LOOPBACK,
      requireHttps: env.WEBHOOKS_REQUIRE_HTTPS,
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      retry: {
        firstDelayMs: env.WEBHOOK_RETRY_FIRST_DELAY_MS,
        factor: env.WEBHOOK_RETRY_FACTOR,
        maxDelayMs: env.WEBHOOK_RETRY_MAX_DELAY_MS,
        windowMs: env.WEBHOOK_RETRY_WINDOW_MS,
      },
      secretsKeys: sealingKeys(env.WEBHOOK_SECRETS_KEY, env.WEBHOOK_SECRETS_OLD_KEYS),
    };
    this.outboxPollMs = env.OUTBOX_POLL_MS;
    this.workerConcurrency = env.WORKER_CONCURRENCY;
    this.workerLockMs = env.WORKER_LOCK_MS;
    this.idempotency = { inFlightTimeoutMs: env.IDEMPOTENCY_IN_FLIGHT_TIMEOUT_MS };
    this.metrics = { port: env.METRICS_PORT ?? null, numbersRefreshMs: env.METRICS_NUMBERS_REFRESH_MS, readyMaxOutboxLagMs: env.READY_MAX_OUTBOX_LAG_MS };
    this.shutdown = { readinessDelayMs: env.GATEWAY_SHUTDOWN_DELAY_MS, drainMs: env.SHUTDOWN_DRAIN_MS };
    this.deliveryConcurrency = env.WEBHOOK_DELIVERY_CONCURRENCY;
    this.endpointMaxInFlight = env.WEBHOOK_ENDPOINT_MAX_IN_FLIGHT;
    this.sandbox = {
      phoneNumber: env.SANDBOX_PHONE_NUMBER,
      accountId: env.SANDBOX_ACCOUNT_ID,
      template: { name: env.SANDBOX_TEMPLATE_NAME, language: env.SANDBOX_TEMPLATE_LANGUAGE },
    };
    this.schedules = {
      'reconcile-pending-checkouts': env.SCHEDULE_RECONCILE_PENDING_CHECKOUTS_MS,
      'resume-stalled-provisioning': env.SCHEDULE_RESUME_STALLED_PROVISIONING_MS,
      'reconcile-subscription-quantities': env.SCHEDULE_RECONCILE_SUBSCRIPTION_QUANTITIES_MS,
      'prune-webhook-logs': env.SCHEDULE_PRUNE_WEBHOOK_LOGS_MS,
      'sweep-stock-watches': env.SCHEDULE_SWEEP_STOCK_WATCHES_MS,
      'resume-stalled-billing': env.SCHEDULE_RESUME_STALLED_BILLING_MS,
      'resume-stalled-calling': env.SCHEDULE_RESUME_STALLED_CALLING_MS,
      'redrive-failed-jobs': env.SCHEDULE_REDRIVE_FAILED_JOBS_MS,
      'recover-lost-jobs': env.SCHEDULE_RECOVER_LOST_JOBS_MS,
      'erase-expired-kyc': env.SCHEDULE_ERASE_EXPIRED_KYC_MS,
      'prune-records': env.SCHEDULE_PRUNE_RECORDS_MS,
    };
    this.providerCallAttempts = env.PROVIDER_CALL_ATTEMPTS;
    this.recovery = {
      redriveDelaysMs: env.REDRIVE_DELAYS_MS,
      lostJobAfterMs: env.LOST_JOB_AFTER_MS,
      schedulerCheckMs: env.SCHEDULER_CHECK_MS,
      batchSize: env.SWEEP_BATCH_SIZE,
    };
    this.pruning = {
      outboxMs: env.OUTBOX_RETENTION_MS,
      webhookEventsMs: env.WEBHOOK_EVENT_RETENTION_MS,
      idempotencyMs: env.IDEMPOTENCY_RETENTION_MS,
      webhookLogsMs: env.WEBHOOK_LOG_RETENTION_MS,
      batchSize: env.PRUNE_BATCH_SIZE,
    };
    this.stockWatches = { batchSize: env.STOCK_WATCH_BATCH_SIZE };
    this.reconcile = { batchSize: env.RECONCILE_BATCH_SIZE };
    this.sweeps = {
      batchSize: env.SWEEP_BATCH_SIZE,
      checkoutGraceMs: env.CHECKOUT_GRACE_MS,
      checkoutRecheckMs: env.CHECKOUT_RECHECK_MS,
      provisioningStalledMs: env.PROVISIONING_STALLED_MS,
      registrationStalledMs: env.REGISTRATION_STALLED_MS,
      whatsappCodeTimeoutMs: env.WHATSAPP_CODE_TIMEOUT_MS,
      whatsappCodeMaxRequests: env.WHATSAPP_CODE_MAX_REQUESTS,
      regulatoryRecheckMs: env.REGULATORY_RECHECK_MS,
      releaseStalledMs: env.RELEASE_STALLED_MS,
      billingStartStalledMs: env.BILLING_START_STALLED_MS,
      callingSyncStalledMs: env.CALLING_SYNC_STALLED_MS,
      callStalledMs: env.CALL_STALLED_MS,
    };
  }

  static fromEnv(env: Record<string, string | undefined> = process.env): AppConfig {
    return new AppConfig(loadConfig(appConfigSchema, env));
  }
}
