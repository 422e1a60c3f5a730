import type { INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AsyncMicroserviceOptions } from '@nestjs/microservices';
import { AppConfig } from '@numbers/config';
import type { WorkerApp } from '@numbers/contracts';
import { Logger } from 'nestjs-pino';
import { eventTransportOptions } from '../events/event-transport';
import { WorkerHttpServer } from './worker-http.server';

export interface BootstrapWorkerOptions {
  /** Also listen for events (`@EventPattern` controllers) on the Redis transport. */
  subscribeToEvents?: boolean;
}

/**
 * Starts a worker process: a Nest application context (no HTTP), or a Redis-transport
 * microservice when it subscribes to events; pino logging; shutdown hooks (SIGTERM: the relay
 * stops, workers finish their active jobs within SHUTDOWN_DRAIN_MS or hand them back, connections
 * close). Serves /metrics, /health/live and /health/ready on a listener of its own
 * (`WorkerHttpServer`: METRICS_PORT or the app's default). Logs `"<app> ready"` once its workers
 * run and that listener is open. A failure to boot (bad configuration, a job without its handler) is written to
 * stderr and exits with status 1.
 */
export async function bootstrapWorker(
  app: WorkerApp,
  rootModule: Type<unknown>,
  options: BootstrapWorkerOptions = {},
): Promise<INestApplicationContext> {
  try {
    let context: INestApplicationContext;
    if (options.subscribeToEvents) {
      const microservice = await NestFactory.createMicroservice<AsyncMicroserviceOptions>(rootModule, {
        bufferLogs: true,
        abortOnError: false,
        inject: [AppConfig],
        useFactory: (config: AppConfig) => eventTransportOptions(config),
      });
      microservice.useLogger(microservice.get(Logger));
      microservice.enableShutdownHooks([], { useProcessExit: true });
      await microservice.listen();
      context = microservice;
    } else {
      context = await NestFactory.createApplicationContext(rootModule, { bufferLogs: true, abortOnError: false });
      context.useLogger(context.get(Logger));
      context.enableShutdownHooks([], { useProcessExit: true });
    }
    await context.get(WorkerHttpServer).listen();
    context.get(Logger).log(`${app} ready`, 'bootstrap');
    return context;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${JSON.stringify({ level: 60, app, msg: `${app} failed to boot: ${message}` })}\n`);
    process.exit(1);
  }
}
