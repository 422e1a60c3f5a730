// The test harness of every tier: a database and a Redis prefix per test file, the apps'
// environment as production builds it, and a launcher for the built apps. Jest's global setup
// (./jest/global-setup.js) prepares the services these helpers rely on.
export { createTestDatabase } from './create-test-database';
export type { TestDatabase } from './create-test-database';
export { testRedisPrefix, flushRedisPrefix } from './redis-prefix';
export { startRedisCluster } from './redis-cluster';
export type { RedisClusterProcess } from './redis-cluster';
export { testRedisUrl } from './harness-env';
export { testEnv } from './test-env';
export type { TestEnv, TestEnvOverrides } from './test-env';
export { freePort } from './free-port';
export { startProcess, ProcessStartError } from './process/start-process';
export { superviseProcess } from './process/supervise';
export type { SupervisedProcess, SuperviseOptions } from './process/supervise';
export type { StartProcessOptions, StartedProcess, ProcessExit } from './process/start-process';
export { ensureBuilt } from './build/ensure-built';
export type { EnsureBuiltOptions } from './build/ensure-built';
export { startSimulatorProcess } from './simulator/simulator-process';
export type { SimulatorProcess, SimulatorState } from './simulator/simulator-process';
export { startWebhookCapture, storedEvent, eventJob } from './webhooks/webhook-capture';
export type { WebhookCapture } from './webhooks/webhook-capture';
export { startCustomerWebhookReceiver } from './webhooks/customer-webhook-receiver';
export type { CustomerWebhookReceiver, ReceivedDelivery } from './webhooks/customer-webhook-receiver';
export { eventually } from './eventually';
export { startHandlerTestBed } from './nest/handler-test-bed';
export { createTestAccount, createTestAccountWithKey, createTestProfile } from './database/test-accounts';
export { countOf } from './database/count-of';
export { transactionsLeftOpen } from './database/open-transactions';
export type { TestAccountDatabase, TestAccountOptions, TestAccountWithKey } from './database/test-accounts';
export type { HandlerTestBed, HandlerTestBedOptions } from './nest/handler-test-bed';
export { CHROMIUM, HAVE_CHROMIUM, TEST_ARTIFACTS_DIR, launchChromium } from './browser/chromium';
