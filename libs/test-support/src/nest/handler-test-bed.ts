import type { DynamicModule, Provider, Type } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { AppConfig, ConfigModule } from '@numbers/config';
import { ProvidersModule } from '@numbers/providers';
import { createTestDatabase, type TestDatabase } from '../create-test-database';
import { testRedisPrefix } from '../redis-prefix';
import { startSimulatorProcess, type SimulatorProcess } from '../simulator/simulator-process';
import { startWebhookCapture, type WebhookCapture } from '../webhooks/webhook-capture';

export interface HandlerTestBedOptions<Capture extends boolean> {
  /**
   * Modules besides config and the provider gateways, `PersistenceModule` among them: test-support
   * may not import persistence, whose own tests use test-support.
   */
  imports: (DynamicModule | Type<unknown>)[];
  /** The handlers under test and what they need. */
  providers: Provider[];
  /** Sends the simulator's signed webhooks to a capture of this file (`capture`) instead of the environment's gateway. */
  captureWebhooks?: Capture;
  /** Settings on top of the simulator's environment, for the Nest context only. */
  env?: Record<string, string>;
}

/** A worker's handlers in a Nest context on a database and Redis prefix of one test file, every provider the built simulator. */
export interface HandlerTestBed<Capture extends boolean = false> {
  database: TestDatabase;
  capture: Capture extends true ? WebhookCapture : undefined;
  sim: SimulatorProcess;
  config: AppConfig;
  /**
   * The context: the handlers, and persistence's `Database` for what a spec arranges and reads
   * (`moduleRef.get(Database)`; test-support may not import persistence, so the bed cannot name it).
   */
  moduleRef: TestingModule;
  /** Closes the context, then stops the simulator and the capture, then drops the database. */
  stop(): Promise<void>;
}

export async function startHandlerTestBed<Capture extends boolean = false>(options: HandlerTestBedOptions<Capture>): Promise<HandlerTestBed<Capture>> {
  let database: TestDatabase | undefined;
  let capture: WebhookCapture | undefined;
  let sim: SimulatorProcess | undefined;
  let moduleRef: TestingModule | undefined;
  const stop = async () => {
    await moduleRef?.close();
    await sim?.stop();
    await capture?.stop();
    await database?.drop();
  };
  try {
    database = await createTestDatabase();
    capture = options.captureWebhooks ? await startWebhookCapture() : undefined;
    sim = await startSimulatorProcess({
      DATABASE_URL: database.url,
      REDIS_PREFIX: testRedisPrefix(),
      ...(capture ? { SIMULATOR_WEBHOOK_TARGET: capture.url } : {}),
    });
    const config = AppConfig.fromEnv({ ...sim.env, ...options.env });
    const compiled = await Test.createTestingModule({ imports: [ConfigModule, ...options.imports, ProvidersModule], providers: options.providers })
      .overrideProvider(AppConfig)
      .useValue(config)
      .compile();
    await compiled.init();
    // Only an initialised context can be closed (close() re-throws a failed init).
    moduleRef = compiled;
    return { database, capture: capture as HandlerTestBed<Capture>['capture'], sim, config, moduleRef, stop };
  } catch (error) {
    // Jest's afterAll has no bed to stop: release here what was started.
    await stop();
    throw error;
  }
}
