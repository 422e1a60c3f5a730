import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { AppConfig } from '@numbers/config';
import { OutboxRelayRepository } from '@numbers/persistence';
import { queuesOwnedBy } from '../handlers/wiring-check';
import { MESSAGING_OPTIONS, type MessagingOptions } from '../workers/messaging-options';
import { WorkerRunner } from '../workers/worker-runner';
import { down } from './dependency-health.indicators';
import { withTimeout } from './with-timeout';

/** A BullMQ worker runs for every queue this app owns (none before bootstrap, none once stopping). */
@Injectable()
export class QueueWorkersHealthIndicator {
  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    private readonly runner: WorkerRunner,
    private readonly indicators: HealthIndicatorService,
  ) {}

  check(key: string) {
    const session = this.indicators.check(key);
    const owned = this.options.app ? queuesOwnedBy(this.options.app) : [];
    const running = new Set(this.runner.running.filter((worker) => worker.isRunning() && !worker.closing).map((worker) => worker.name));
    const missing = owned.filter((queue) => !running.has(queue));
    return missing.length === 0 ? session.up({ queues: owned }) : session.down({ message: 'queue workers not running', queues: missing });
  }
}

/** The oldest unpublished outbox row is younger than READY_MAX_OUTBOX_LAG_MS: the relays keep up. */
@Injectable()
export class OutboxLagHealthIndicator {
  constructor(
    private readonly outbox: OutboxRelayRepository,
    private readonly config: AppConfig,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(key: string) {
    const session = this.indicators.check(key);
    let lagMs: number;
    try {
      lagMs = await withTimeout(this.outbox.unpublishedLagMs(), 'PostgreSQL');
    } catch (error) {
      return down(session, 'PostgreSQL', error);
    }
    const maxMs = this.config.metrics.readyMaxOutboxLagMs;
    return lagMs <= maxMs ? session.up({ lagMs: Math.round(lagMs) }) : session.down({ message: `outbox lag over ${maxMs} ms`, lagMs: Math.round(lagMs) });
  }
}
