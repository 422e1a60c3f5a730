import type { DynamicModule, Type } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { AppConfig, ConfigModule } from '@numbers/config';
import { jobsOfQueue, type JobName, type QueueName } from '@numbers/contracts';
import { Database, PersistenceModule } from '@numbers/persistence';
import type { HandlesJob } from '../handlers/handles-job';
import { JobHandler } from '../handlers/job-handler.decorator';
import { QueueRegistry } from '../queues/queue-registry';
import { RECOVERY_JOB_NAMES } from '../recovery';
import { RedisConnections } from '../redis/redis-connections';
import { createTestDatabase, flushRedisPrefix, testEnv, testRedisPrefix, testRedisUrl, type TestDatabase } from '@numbers/test-support';

/** A database and a Redis prefix of one test file, and the AppConfig that points at them. */
export interface MessagingTestBed {
  database: TestDatabase;
  prefix: string;
  config: AppConfig;
  cleanup(): Promise<void>;
}

export async function messagingTestBed(overrides: Record<string, string> = {}): Promise<MessagingTestBed> {
  const database = await createTestDatabase();
  const prefix = testRedisPrefix();
  const config = AppConfig.fromEnv(
    testEnv({ DATABASE_URL: database.url, REDIS_PREFIX: prefix, LOG_LEVEL: 'warn', OUTBOX_POLL_MS: '20', ...overrides }),
  );
  return {
    database,
    prefix,
    config,
    cleanup: async () => {
      await flushRedisPrefix(testRedisUrl(), prefix);
      await database.drop();
    },
  };
}

/** A Nest context with config, persistence and the given modules, initialised (hooks run). */
export async function startTestContext(
  config: AppConfig,
  imports: (DynamicModule | Type<unknown>)[],
  providers: Type<unknown>[] = [],
): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({ imports: [ConfigModule, PersistenceModule, ...imports], providers })
    .overrideProvider(AppConfig)
    .useValue(config)
    .compile();
  try {
    await moduleRef.init();
  } catch (error) {
    // A context whose init failed cannot be closed (close() re-throws the init error); a real
    // process exits. Here, release what it opened so the test process can end.
    await moduleRef.get(QueueRegistry, { strict: false }).closeAll();
    await moduleRef.get(RedisConnections, { strict: false }).closeAll();
    await moduleRef.get(Database, { strict: false }).destroy();
    throw error;
  }
  return moduleRef;
}

/**
 * A handler that does nothing for each job of `queue` but `except` and the library's own
 * (`MessagingModule.forWorker` brings those): a worker boots only with a handler for every job
 * its queue has, and the spec tests the others.
 */
export function doNothingHandlersOf(queue: QueueName, except: readonly JobName[]): Type[] {
  return jobsOfQueue(queue)
    .filter((name) => !except.includes(name) && !(RECOVERY_JOB_NAMES as readonly JobName[]).includes(name))
    .map((name: JobName) => {
      @JobHandler(name)
      class DoNothingHandler implements HandlesJob<typeof name> {
        async handle(): Promise<void> {
          return undefined;
        }
      }
      return DoNothingHandler;
    });
}
