import { setTimeout as delay } from 'node:timers/promises';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AppConfig } from '@numbers/config';
import type { FastifyInstance } from 'fastify';
import { Readiness } from '@numbers/messaging';

/**
 * How the gateway stops (SIGTERM, or `app.close()`): readiness goes false at once; after
 * GATEWAY_SHUTDOWN_DELAY_MS (load balancers notice) the listener closes, so new connections are
 * refused; requests in flight finish for up to SHUTDOWN_DRAIN_MS, then their connections are cut.
 * Only then does Nest close the rest: it destroys the root module, where this is provided,
 * before the global ones that hold the database pool and Redis, so a request in flight never
 * finds them closed.
 */
@Injectable()
export class GracefulShutdown implements OnModuleDestroy {
  private readonly logger = new Logger(GracefulShutdown.name);

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly readiness: Readiness,
    private readonly config: AppConfig,
  ) {}

  async onModuleDestroy(): Promise<void> {
    const { readinessDelayMs, drainMs } = this.config.shutdown;
    this.readiness.stop();
    if (readinessDelayMs > 0) {
      this.logger.log(`stopping: not ready, listener open for ${readinessDelayMs} ms more`);
      await delay(readinessDelayMs);
    }
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const closed = fastify.close();
    if (await Promise.race([closed.then(() => true), delay(drainMs, false, { ref: false })])) return;
    this.logger.warn(`requests still running after ${drainMs} ms: their connections are closed`);
    fastify.server.closeAllConnections();
    await closed;
  }
}
