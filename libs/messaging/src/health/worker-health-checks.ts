import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { DatabaseHealthIndicator, RedisHealthIndicator } from './dependency-health.indicators';
import { Readiness } from './readiness';
import { OutboxLagHealthIndicator, QueueWorkersHealthIndicator } from './worker-health.indicators';

export interface HealthAnswer {
  status: 200 | 503;
  body: HealthCheckResult;
}

/**
 * A worker's readiness, in terminus' report: not stopping, PostgreSQL and Redis answer, a BullMQ
 * worker runs for each queue it owns, and the outbox relays keep up (READY_MAX_OUTBOX_LAG_MS).
 */
@Injectable()
export class WorkerHealthChecks {
  constructor(
    private readonly health: HealthCheckService,
    private readonly readiness: Readiness,
    private readonly database: DatabaseHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly workers: QueueWorkersHealthIndicator,
    private readonly outboxLag: OutboxLagHealthIndicator,
  ) {}

  async ready(): Promise<HealthAnswer> {
    try {
      const body = await this.health.check([
        () => this.readiness.check('worker'),
        () => this.database.check('database'),
        () => this.redis.check('redis'),
        () => this.workers.check('queues'),
        () => this.outboxLag.check('outbox'),
      ]);
      return { status: 200, body };
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      return { status: 503, body: error.getResponse() as HealthCheckResult };
    }
  }
}
