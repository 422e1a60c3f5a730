import { z } from 'zod';
import { checkLiveSettings, SIMULATOR_DEFAULTS } from './live-mode';

const url = z.string().url();
const port = z.coerce.number().int().min(1).max(65535);
const MINUTE = 60_000;
/** How often a scheduled job runs: 100 ms (tests) to a day. */
const interval = z.coerce.number().int().min(100).max(24 * 60 * MINUTE);
/** How long something may wait before a sweep steps in: 1 s (tests) to a week. */
const threshold = z.coerce.number().int().min(1000).max(7 * 24 * 60 * MINUTE);
/** How long a kept record lives before a pruning run deletes it: 1 s (tests) to ten years. */
const retention = z.coerce.number().int().min(1000).max(3650 * 24 * 60 * MINUTE);
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');
const base64Key32 = z
  .string()
  .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64');
/** Keys retired by a rotation, kept only to open what they sealed: comma-separated, each 32 bytes, base64. */
const oldKeys = z
  .string()
  .transform((value) => value.split(',').map((key) => key.trim()).filter((key) => key !== ''))
  .refine((keys) => keys.every((key) => Buffer.from(key, 'base64').length === 32), 'must be comma-separated keys of 32 bytes, base64')
  .default('');

/** A Redis Cluster node as a URL: a host, a port, database 0 only (a cluster has no other). */
function isClusterNodeUrl(node: string): boolean {
  try {
    const parsed = new URL(node);
    return (parsed.protocol === 'redis:' || parsed.protocol === 'rediss:') && parsed.hostname !== '' && parsed.port !== '' && ['', '/', '/0'].includes(parsed.pathname);
  } catch {
    return false;
  }
}

/** REDIS_CLUSTER_NODES: each node as a redis:// URL (a bare host:port gets the scheme). */
const clusterNodes = z
  .string()
  .transform((value) => value.split(',').map((node) => node.trim()).filter((node) => node !== ''))
  .transform((nodes) => nodes.map((node) => (node.includes('://') ? node : `redis://${node}`)))
  .refine((nodes) => nodes.length > 0 && nodes.every(isClusterNodeUrl), 'must be comma-separated host:port (or redis:// URLs without a database), at least one');

/** Where Redis is: one server, or a Redis Cluster reached through some of its nodes (redis:// URLs). */
export type RedisTarget = { cluster: false; url: string } | { cluster: true; nodes: readonly string[] };

/**
 * Traces (docs/operations.md, "Traces and logs"): read by each app's tracing bootstrap before
 * anything else loads, and part of every app's settings. The OpenTelemetry SDK reads its other
 * standard `OTEL_*` variables itself (protocol, headers, sampler, batch delay).
 */
export const tracingConfigSchema = z.object({
  // Where spans are sent (OTLP over HTTP, JSON). Setting it turns tracing on.
  OTEL_EXPORTER_OTLP_ENDPOINT: url.optional(),
  // Tracing on or off whatever the endpoint (on without one: the SDK's own, http://localhost:4318).
  TRACING_ENABLED: flag.optional(),
});

/** Whether spans are recorded and exported: off unless an endpoint or TRACING_ENABLED says so. */
export function tracingEnabled(env: z.infer<typeof tracingConfigSchema>): boolean {
  return env.TRACING_ENABLED ?? env.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined;
}

const appSettings = z.object({
  ...tracingConfigSchema.shape,
  // `simulator` (development, tests) fills in what the provider simulator needs; `live` (real
  // Stripe, Telnyx and Meta) requires those settings and refuses development ones (live-mode.ts).
  PROVIDER_MODE: z.enum(['simulator', 'live']).default('simulator'),
  DATABASE_URL: url,
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  // Named (prepared) statements: PostgreSQL plans each hot statement once per connection. Off
  // behind PgBouncer in transaction mode, where a statement may meet another server connection.
  DATABASE_NAMED_STATEMENTS: flag.default('true'),
  // How long a unit of work may wait for a connection (a free one in the pool, or a new one to
  // open) before it fails, instead of hanging behind a saturated pool or an unreachable server.
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  // The server cancels a statement that runs (or waits for a lock) longer than this.
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  // One Redis server; not used when REDIS_CLUSTER_NODES is set (one of the two is required).
  REDIS_URL: url.optional(),
  // A Redis Cluster, by some of its nodes (the rest are discovered): comma-separated host:port,
  // or redis:// / rediss:// URLs where the nodes need credentials or TLS (the first one's apply
  // to every node). Set: every process talks to the cluster (docs/scaling.md).
  REDIS_CLUSTER_NODES: clusterNodes.optional(),
  // Every BullMQ key starts with it; the braces make it a Redis Cluster hash tag.
  REDIS_PREFIX: z.string().regex(/^\{[^{}]+\}$/, 'must be a hash tag like {numbers}').default('{numbers}'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GATEWAY_PORT: port.default(3000),
  PUBLIC_BASE_URL: url.default('http://127.0.0.1:3000'),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  // The operators' token for the queue dashboard (/admin/queues on the gateway). Unset: the
  // dashboard is not mounted at all (404).
  ADMIN_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  STRIPE_API_KEY: z.string().min(1),
  STRIPE_API_BASE_URL: url,
  STRIPE_WEBHOOK_SECRET: z.string().min(1),
  STRIPE_PRICE_ID: z.string().min(1).default('price_numbers_monthly'),
  // Each try of a Stripe call (the SDK tries three times). Also bounds how long a quantity sync
  // may hold an account's items between two calls before its claim is taken over.
  STRIPE_TIMEOUT_MS: z.coerce.number().int().min(1000).max(80_000).default(10_000),
  TELNYX_API_KEY: z.string().min(1),
  TELNYX_API_BASE_URL: url,
  TELNYX_PUBLIC_KEY: base64Key32,
  // Where ordered numbers are attached: the SIP connection (calls) and messaging profile (SMS,
  // which carries WhatsApp's activation code). Optional: numbers are ordered without them.
  TELNYX_CONNECTION_ID: z.string().min(1).optional(),
  TELNYX_MESSAGING_PROFILE_ID: z.string().min(1).optional(),
  META_GRAPH_BASE_URL: url,
  META_API_VERSION: z.string().regex(/^v\d+\.\d+$/).default('v21.0'),
  META_ACCESS_TOKEN: z.string().min(1),
  META_APP_SECRET: z.string().min(1),
  // The WhatsApp Business Account our numbers are added to (`POST /{waba-id}/phone_numbers`).
  META_WABA_ID: z.string().regex(/^\d+$/, 'must be a numeric WhatsApp Business Account id').optional(),
  // What Meta echoes in the webhook subscription handshake (GET /webhooks/meta). Unset: every
  // handshake is refused (403); signed deliveries are still verified with META_APP_SECRET.
  META_VERIFY_TOKEN: z.string().min(1).optional(),
  // Who Meta's activation-code SMS come from, as the carrier shows the sender (comma-separated:
  // phone numbers, compared by digits, or alphanumeric sender ids). A code from anyone else is
  // ignored: anyone can text our numbers, and each wrong code uses up one of Meta's attempts.
  WHATSAPP_CODE_SMS_SENDERS: z
    .string()
    .transform((value) => value.split(',').map((sender) => sender.trim()).filter((sender) => sender !== ''))
    .refine((senders) => senders.length > 0, 'must name at least one sender'),
  // Sealing keys (docs/configuration.md, "Keys and rotation"): each `*_KEY` seals from now on;
  // its `*_OLD_KEYS` only open what earlier keys sealed, and such values are sealed again under
  // the current key when next used (or by `npm run cli -- secrets:reseal`).
  SIP_CREDENTIALS_KEY: base64Key32,
  SIP_CREDENTIALS_OLD_KEYS: oldKeys,
  // Derives each number's WhatsApp two-step verification PIN (never stored). Its own secret, so
  // SIP_CREDENTIALS_KEY can rotate; changing it changes every PIN (docs/configuration.md).
  TWO_STEP_PIN_KEY: base64Key32,
  // WhatsApp calling: the Call Control application (Telnyx connection) that dials calls to Meta
  // and takes a calling number's inbound SIP, the carrier's SIP host that Meta's calling settings
  // point at (TLS, 5061), and how long an outbound call may ring before the carrier gives up.
  TELNYX_CALL_CONTROL_APP_ID: z.string().min(1).optional(),
  TELNYX_SIP_HOSTNAME: z.string().regex(/^[a-z0-9.-]+$/i, 'must be a host name').default('sip.telnyx.com'),
  CALL_RING_TIMEOUT_SECONDS: z.coerce.number().int().min(5).max(120).default(45),
  // A sip: or ws(s):// forwardTo may point at loopback (never at private or link-local
  // addresses): off in production, on in env/local.env, as WEBHOOKS_ALLOW_LOOPBACK for webhooks.
  CALL_FORWARD_ALLOW_LOOPBACK: flag.default('false'),
  // A call placed later than this is worth little: past this wait of the calling queue's oldest
  // job, the gateway refuses new calls with 503 CALLS_BUSY instead of accepting them late.
  CALL_ADMISSION_MAX_WAIT_MS: z.coerce.number().int().min(1).max(60_000).default(1_000),
  // Webhooks to customers (docs/webhooks.md). The defaults are production's: https only, never
  // to loopback; env/local.env allows both so a developer receives on their own machine.
  WEBHOOKS_ALLOW_LOOPBACK: flag.default('false'),
  WEBHOOKS_REQUIRE_HTTPS: flag.default('true'),
  // One delivery attempt, from the DNS lookup to the last byte read.
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  // The waits between attempts: exponential from the first, capped, for as long as the window.
  WEBHOOK_RETRY_FIRST_DELAY_MS: z.coerce.number().int().min(100).max(60 * MINUTE).default(10_000),
  WEBHOOK_RETRY_FACTOR: z.coerce.number().min(1).max(10).default(4),
  WEBHOOK_RETRY_MAX_DELAY_MS: z.coerce.number().int().min(100).max(24 * 60 * MINUTE).default(6 * 60 * MINUTE),
  WEBHOOK_RETRY_WINDOW_MS: threshold.default(24 * 60 * MINUTE),
  WEBHOOK_SECRETS_KEY: base64Key32,
  WEBHOOK_SECRETS_OLD_KEYS: oldKeys,
  // KYC documents and values are encrypted each under a data key of its own, which this key
  // seals (envelope encryption: docs/architecture.md, "Regulated countries").
  KYC_SEALING_KEY: base64Key32,
  KYC_SEALING_OLD_KEYS: oldKeys,
  // A number released or declined this many days ago has its KYC documents and values erased.
  KYC_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  OUTBOX_POLL_MS: z.coerce.number().int().min(5).max(10_000).default(100),
  // Jobs a provisioning, billing or calling worker runs at once. Most of a job's time is a
  // provider's answer (a carrier order, a Stripe call), during which it holds no database
  // connection: the slots hide that latency, and the pool (DATABASE_POOL_SIZE) does not grow
  // with them (docs/performance.md, "Provider latency").
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(128),
  // Deliveries mostly wait on customers' servers (up to the timeout each): many at once is cheap,
  // and keeps one slow endpoint from holding up the others.
  WEBHOOK_DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(64),
  // Attempts to one endpoint in flight at once, across every delivery worker: a slow or dead
  // endpoint holds this many slots, the others go to other customers.
  WEBHOOK_ENDPOINT_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(100).default(4),
  // How long a worker holds a job's lock (renewed every half of it while the job runs); stalled
  // jobs (their worker died) are looked for every half of it too, so a killed worker's job runs
  // again after 1 to 1.5 of these (docs/configuration.md: the figures, and what it costs in Redis).
  WORKER_LOCK_MS: z.coerce.number().int().min(500).max(600_000).default(5_000),
  // An Idempotency-Key claim its request has not renewed for this long (renewed every third of it
  // while the request runs) died with its process: the key may be claimed again.
  IDEMPOTENCY_IN_FLIGHT_TIMEOUT_MS: threshold.default(60_000),
  // The port a worker serves /metrics, /health/live and /health/ready on (the gateway serves them
  // on GATEWAY_PORT). Unset: the worker's own default (9101 provisioning, 9102 billing, 9103
  // calling, 9104 delivery), so the workers of one machine never clash; 0: any free port (tests),
  // logged at start.
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  // numbers_phone_numbers (numbers by state) is a grouped count over every number: run at most
  // this often, however often Prometheus scrapes (0: on every scrape).
  METRICS_NUMBERS_REFRESH_MS: z.coerce.number().int().min(0).max(60 * MINUTE).default(60_000),
  // A worker is not ready (/health/ready answers 503) while the oldest unpublished outbox row is
  // older than this: the relays are not keeping up, or cannot reach Redis.
  READY_MAX_OUTBOX_LAG_MS: z.coerce.number().int().min(1000).max(24 * 60 * MINUTE).default(60_000),
  // On SIGTERM, how long the gateway keeps serving while its health check already answers 503, so
  // load balancers stop sending before the listener closes. Production's default; env/local.env
  // sets 0.
  GATEWAY_SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  // On SIGTERM, how long in-flight requests (gateway) or active jobs (workers) may take to finish:
  // past it the gateway cuts its connections and a worker hands its jobs back to the queue. Longer
  // than the slowest provider call (30 s per try, 3 tries), so in the ordinary case work finishes.
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(600_000).default(100_000),
  // How often each scheduled sweep runs (SCHEDULES in @numbers/contracts): one BullMQ job
  // scheduler per sweep in the whole cluster, upserted by the worker that owns its queue.
  SCHEDULE_RECONCILE_PENDING_CHECKOUTS_MS: interval.default(60_000),
  SCHEDULE_RESUME_STALLED_PROVISIONING_MS: interval.default(60_000),
  SCHEDULE_RECONCILE_SUBSCRIPTION_QUANTITIES_MS: interval.default(5 * MINUTE),
  SCHEDULE_PRUNE_WEBHOOK_LOGS_MS: interval.default(60 * MINUTE),
  SCHEDULE_SWEEP_STOCK_WATCHES_MS: interval.default(5 * MINUTE),
  SCHEDULE_RESUME_STALLED_BILLING_MS: interval.default(60_000),
  SCHEDULE_RESUME_STALLED_CALLING_MS: interval.default(60_000),
  SCHEDULE_REDRIVE_FAILED_JOBS_MS: interval.default(60_000),
  SCHEDULE_RECOVER_LOST_JOBS_MS: interval.default(60_000),
  SCHEDULE_ERASE_EXPIRED_KYC_MS: interval.default(60 * MINUTE),
  SCHEDULE_PRUNE_RECORDS_MS: interval.default(60 * MINUTE),
  // How often each worker checks that the job schedulers of its queues exist in Redis and
  // re-creates those it lost (Redis restarted empty), besides on every reconnection.
  SCHEDULER_CHECK_MS: interval.default(30_000),
  // Attempts of a job that calls a provider (PROVIDER_CALL_RETRY: exponential from 500 ms, so 10
  // attempts span about 8.5 minutes) before it fails for good and is recorded in failed_jobs.
  PROVIDER_CALL_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(10),
  // The waits before each re-drive of a job that failed for good (comma-separated ms); after the
  // last one the job is left `abandoned` for an operator.
  REDRIVE_DELAYS_MS: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'must be comma-separated milliseconds, e.g. 60000,300000')
    .transform((v) => v.split(',').map(Number))
    .default('60000,300000,1800000,7200000'),
  // A job published from the outbox that has neither completed nor failed for good this long
  // after (and this long after it was last seen in BullMQ) is looked up there: missing, it is
  // published again. Longer than a job takes to run, retries aside.
  LOST_JOB_AFTER_MS: threshold.default(5 * MINUTE),
  // The most (country, type, area) groups of stock watches one sweep-stock-watches run asks the
  // carrier about (least recently asked first); the rest wait for the next run.
  STOCK_WATCH_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
  // The most accounts one reconcile-subscription-quantities run compares with Stripe (least recently compared first).
  RECONCILE_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
  // How long records are kept before the scheduled pruning deletes them (prune-records, and
  // prune-webhook-logs for delivery logs): outbox rows finished (published events, jobs that
  // ended) this long ago; webhook events processed this long ago (except those that failed);
  // Idempotency-Key records completed (or claimed) this long ago, never less than the 24 h a
  // key is replayed; delivery logs and customer events created this long ago (SPEC: 30 days).
  OUTBOX_RETENTION_MS: retention.default(7 * 24 * 60 * MINUTE),
  WEBHOOK_EVENT_RETENTION_MS: retention.default(30 * 24 * 60 * MINUTE),
  IDEMPOTENCY_RETENTION_MS: retention.min(24 * 60 * MINUTE, 'must be at least 24 h (86400000), the replay window of a key').default(48 * 60 * MINUTE),
  WEBHOOK_LOG_RETENTION_MS: retention.default(30 * 24 * 60 * MINUTE),
  // Rows one DELETE removes: short statements, no long lock or bloat burst on a big table.
  PRUNE_BATCH_SIZE: z.coerce.number().int().min(1).max(100_000).default(5000),
  // The most numbers of each kind one sweep run acts on; the rest wait for the next run.
  SWEEP_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(50),
  // A pending_payment number this old without a Checkout Session is released (the gateway died
  // before creating it: nobody can pay), and an open session this long past its expiry is expired.
  CHECKOUT_GRACE_MS: threshold.default(15 * MINUTE),
  // A pending_payment number with a session that waited this long is asked about at Stripe (its
  // completed or expired webhook may be lost), then again every this long while still open.
  CHECKOUT_RECHECK_MS: threshold.default(30 * MINUTE),
  // Each sweep threshold is a few minutes past when the provider (or our own job) answers in the
  // ordinary case, so a lost message costs minutes, not a quarter of an hour; a sweep that acts
  // while the original job still retries is harmless (every step it queues is idempotent).
  // A number in provisioning (its order lost or not completed: the carrier's number_order.complete
  // comes within a minute or two) that has not moved for this long is resumed.
  PROVISIONING_STALLED_MS: threshold.default(3 * MINUTE),
  // A number verifying, its code never requested (register-whatsapp was lost: Meta answers in
  // seconds), quiet this long gets register-whatsapp again.
  REGISTRATION_STALLED_MS: threshold.default(3 * MINUTE),
  // How long the WhatsApp activation code may take to arrive before another is requested, and
  // how many requests in all before the number ends (provisioning_failed, whatsapp_code_not_received).
  WHATSAPP_CODE_TIMEOUT_MS: threshold.default(10 * MINUTE),
  WHATSAPP_CODE_MAX_REQUESTS: z.coerce.number().int().min(1).max(10).default(3),
  // A pending_regulatory number quiet this long has its requirement group read at the carrier
  // (the verdict's event may be lost), then again every this long while the review goes on.
  REGULATORY_RECHECK_MS: threshold.default(60 * MINUTE),
  // A releasing number quiet this long has release-number queued again (the job was lost).
  RELEASE_STALLED_MS: threshold.default(5 * MINUTE),
  // An active number this long without its billing started has start-billing queued again.
  BILLING_START_STALLED_MS: threshold.default(5 * MINUTE),
  // Calling settings enabling or disabling this long after the customer asked: sync-whatsapp-calling again.
  CALLING_SYNC_STALLED_MS: threshold.default(3 * MINUTE),
  // A call still dialing or ringing this long after it was placed is failed (its dial job or the
  // carrier's webhooks were lost): longer than place-call's retries (about 8.5 minutes) and any
  // ring timeout, or a call still being dialed would be failed.
  CALL_STALLED_MS: threshold.default(15 * MINUTE),
  // The shared WhatsApp sandbox shown on every phone-number list (SPEC "List semantics").
  SANDBOX_PHONE_NUMBER: z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be E.164').default('+15550000000'),
  SANDBOX_ACCOUNT_ID: z.string().min(1).default('000000000000000000000001'),
  SANDBOX_TEMPLATE_NAME: z.string().min(1).default('hello_world'),
  SANDBOX_TEMPLATE_LANGUAGE: z.string().min(2).default('en_US'),
});

/** Every setting of the Numbers processes; read once at start-up by `loadConfig`. */
export const appConfigSchema = z
  .preprocess((env, ctx) => {
    checkLiveSettings(env, ctx);
    checkRedisTarget(env, ctx);
    return env;
  }, appSettings)
  .transform((env) => ({
    ...env,
    // Only the simulator gets here without them: `live` requires both (checkLiveSettings).
    META_WABA_ID: env.META_WABA_ID ?? SIMULATOR_DEFAULTS.META_WABA_ID,
    TELNYX_CALL_CONTROL_APP_ID: env.TELNYX_CALL_CONTROL_APP_ID ?? SIMULATOR_DEFAULTS.TELNYX_CALL_CONTROL_APP_ID,
  }));

export type AppConfigEnv = z.infer<typeof appConfigSchema>;

/** REDIS_URL or REDIS_CLUSTER_NODES: without either, no process knows where Redis is. */
function checkRedisTarget(input: unknown, ctx: z.RefinementCtx): void {
  if (typeof input !== 'object' || input === null) return;
  const env = input as Record<string, unknown>;
  if (!env['REDIS_URL'] && !env['REDIS_CLUSTER_NODES']) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['REDIS_URL'], message: 'required unless REDIS_CLUSTER_NODES is set' });
  }
}

/** The Redis every process of these settings uses: the cluster when REDIS_CLUSTER_NODES is set. */
export function redisTargetOf(env: Pick<AppConfigEnv, 'REDIS_URL' | 'REDIS_CLUSTER_NODES'>): RedisTarget {
  if (env.REDIS_CLUSTER_NODES) return { cluster: true, nodes: env.REDIS_CLUSTER_NODES };
  if (env.REDIS_URL) return { cluster: false, url: env.REDIS_URL };
  throw new Error('REDIS_URL or REDIS_CLUSTER_NODES is required');
}

/** Settings of the provider simulator (a stand-in for Stripe, Telnyx and Meta). */
export const simulatorConfigSchema = z.object({
  SIMULATOR_PORT: port.default(4010),
  // 0.0.0.0 where other hosts (containers) must reach it.
  SIMULATOR_HOST: z.string().min(1).default('127.0.0.1'),
  SIMULATOR_PUBLIC_URL: url.default('http://127.0.0.1:4010'),
  // Where the simulated providers deliver their signed webhooks.
  SIMULATOR_WEBHOOK_TARGET: url.default('http://127.0.0.1:3000'),
  STRIPE_WEBHOOK_SECRET: z.string().min(1),
  // PKCS#8 PEM, base64: the simulator signs Telnyx webhooks with it.
  TELNYX_SIGNING_PRIVATE_KEY: z.string().min(1),
  META_APP_SECRET: z.string().min(1),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // How long the simulated providers take to answer and to send webhooks: `none` answers at once.
  SIMULATOR_LATENCY: z.enum(['none', 'realistic']).default('none'),
  // Seeds the latency profile's random delays, so a run's delays repeat.
  SIMULATOR_LATENCY_SEED: z.coerce.number().int().default(1),
});

export type SimulatorConfig = z.infer<typeof simulatorConfigSchema>;
