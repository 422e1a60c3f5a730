// Test-only helpers (not part of the build: nothing in the app imports them). An integration
// test gets the real AppModule on Fastify over a database and a Redis prefix of its own.
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig } from '@numbers/config';
import { newId, type NumberStatus } from '@numbers/domain';
import { createAccountWithKey, createProfile, Database, type CreatedAccount, type Executor, type NewPhoneNumber } from '@numbers/persistence';
import { createTestDatabase, flushRedisPrefix, testEnv, testRedisPrefix, testRedisUrl, type TestDatabase } from '@numbers/test-support';
import { AppModule } from '../app/app.module';
import { configureGateway, createFastifyAdapter } from '../app/gateway-app';

export interface GatewayTestContext {
  app: NestFastifyApplication;
  /** The gateway's own database, for what a test arranges and reads there. */
  database: Database;
  config: AppConfig;
  db: TestDatabase;
  /** Another gateway replica over the same database and Redis prefix. */
  startReplica(): Promise<NestFastifyApplication>;
  close(): Promise<void>;
}

export interface GatewayTestOptions {
  /** Settings over env/local.env; undefined removes one. */
  env?: Record<string, string | undefined>;
  /** Replace providers (e.g. to make one fail). */
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
  /** Reuse a database (replicas); a new one by default. */
  db?: TestDatabase;
}

export async function bootGateway(config: AppConfig, override?: GatewayTestOptions['override']): Promise<NestFastifyApplication> {
  let builder = Test.createTestingModule({ imports: [AppModule] }).overrideProvider(AppConfig).useValue(config);
  if (override) builder = override(builder);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(), { bufferLogs: true, rawBody: true });
  configureGateway(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

export async function startGatewayForTest(options: GatewayTestOptions = {}): Promise<GatewayTestContext> {
  const db = options.db ?? (await createTestDatabase());
  const redisPrefix = testRedisPrefix();
  const config = AppConfig.fromEnv(
    testEnv({ DATABASE_URL: db.url, REDIS_PREFIX: redisPrefix, LOG_LEVEL: 'silent', ...options.env }),
  );
  const app = await bootGateway(config, options.override);
  const replicas: NestFastifyApplication[] = [];
  return {
    app,
    database: app.get(Database),
    config,
    db,
    startReplica: async () => {
      const replica = await bootGateway(config);
      replicas.push(replica);
      return replica;
    },
    close: async () => {
      for (const replica of replicas) await replica.close();
      await app.close();
      const redis = config.redis.target;
      if (!redis.cluster && redis.url === testRedisUrl()) await flushRedisPrefix(redis.url, redisPrefix);
      if (!options.db) await db.drop();
    },
  };
}

export interface SeededAccount extends CreatedAccount {
  bearer: string;
}

export async function seedAccount(db: Executor, name = 'Acme', planCode = 'scale'): Promise<SeededAccount> {
  const account = await createAccountWithKey(db, { name, planCode });
  return { ...account, bearer: `Bearer ${account.apiKey}` };
}

export { createProfile };

let phoneSequence = 0;

/** A hosted number written directly (tests only: product code changes status through NumberLifecycle). */
export async function seedNumber(
  db: Executor,
  input: { accountId: string; profileId: string; status: NumberStatus; createdAt?: Date } & Partial<NewPhoneNumber>,
): Promise<string> {
  const createdAt = input.createdAt ?? new Date();
  const id = input.id ?? newId(createdAt);
  phoneSequence += 1;
  await db
    .insertInto('phoneNumbers')
    .values({
      country: 'US',
      monthlyCents: 300,
      phoneNumber: `+1415${String(5_000_000 + phoneSequence).padStart(7, '0')}`,
      ...input,
      id,
      createdAt,
    })
    .execute();
  return id;
}

export async function seedConnected(
  db: Executor,
  input: { accountId: string; profileId: string; phoneNumber: string; connectedAt?: Date; displayName?: string },
): Promise<string> {
  const id = newId();
  await db
    .insertInto('connectedNumbers')
    .values({
      id,
      accountId: input.accountId,
      profileId: input.profileId,
      socialAccountId: newId(),
      phoneNumber: input.phoneNumber,
      displayName: input.displayName ?? null,
      connectedAt: input.connectedAt ?? new Date(),
    })
    .execute();
  return id;
}
