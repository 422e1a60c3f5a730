import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import { NUMBER_STATUSES, type NumberStatus } from '@numbers/contracts';
import { NumberStatsRepository, OutboxRelayRepository } from '@numbers/persistence';
import { queuesOwnedBy } from '../handlers/wiring-check';
import { QueueRegistry } from '../queues/queue-registry';
import { MESSAGING_OPTIONS, type MessagingOptions } from '../workers/messaging-options';
import { gaugeReadOnScrape } from './gauge-read-on-scrape';
import { MetricsRegistry } from './metrics-registry';

const QUEUE_STATES = ['waiting', 'prioritized', 'active', 'delayed', 'failed'] as const;

/** `numbers_queue_jobs{queue,state}`: the jobs of each queue this worker owns, by state, from BullMQ's counts on scrape. */
@Injectable()
export class QueueDepthMetrics {
  constructor({ registry }: MetricsRegistry, @Inject(MESSAGING_OPTIONS) options: MessagingOptions, queues: QueueRegistry) {
    const owned = options.app ? queuesOwnedBy(options.app) : [];
    gaugeReadOnScrape({
      registry,
      name: 'numbers_queue_jobs',
      help: 'Jobs in each queue this worker owns, by state (waiting, prioritized, active, delayed, failed)',
      labelNames: ['queue', 'state'],
      source: 'Redis',
      read: async () => {
        const counts = await Promise.all(owned.map(async (queue) => ({ queue, counts: await queues.get(queue).getJobCounts(...QUEUE_STATES) })));
        return counts.flatMap(({ queue, counts: byState }) => QUEUE_STATES.map((state) => ({ labels: { queue, state }, value: byState[state] ?? 0 })));
      },
    });
  }
}

/** `numbers_outbox_lag_seconds`: the age of the oldest unpublished outbox row (0: none), read on scrape. */
@Injectable()
export class OutboxLagMetrics {
  constructor({ registry }: MetricsRegistry, outbox: OutboxRelayRepository) {
    gaugeReadOnScrape({
      registry,
      name: 'numbers_outbox_lag_seconds',
      help: 'Age of the oldest outbox row not yet published (0 when all are)',
      source: 'PostgreSQL',
      read: async () => [{ value: (await outbox.unpublishedLagMs()) / 1000 }],
    });
  }
}

/**
 * `numbers_phone_numbers{status}`: numbers in each state. Counting reads every number (about
 * 0.35 s on 1M), so a scrape counts again only when the last count is METRICS_NUMBERS_REFRESH_MS
 * old, and concurrent scrapes share one count. Every state is shown, 0 when empty. One app
 * reports it (the provisioning worker lists this provider), not every replica of every worker.
 */
@Injectable()
export class NumbersByStateMetrics {
  private counted?: { at: number; counts: Partial<Record<NumberStatus, number>> };
  private counting?: Promise<Partial<Record<NumberStatus, number>>>;

  constructor({ registry }: MetricsRegistry, private readonly stats: NumberStatsRepository, private readonly config: AppConfig) {
    gaugeReadOnScrape({
      registry,
      name: 'numbers_phone_numbers',
      help: 'Numbers in each lifecycle state (counted at most every METRICS_NUMBERS_REFRESH_MS)',
      labelNames: ['status'],
      source: 'PostgreSQL',
      read: async () => {
        const counts = await this.counts();
        return NUMBER_STATUSES.map((status) => ({ labels: { status }, value: counts[status] ?? 0 }));
      },
    });
  }

  private counts(): Promise<Partial<Record<NumberStatus, number>>> {
    if (this.counted && Date.now() - this.counted.at < this.config.metrics.numbersRefreshMs) return Promise.resolve(this.counted.counts);
    this.counting ??= this.stats
      .countByStatus()
      .then((counts) => {
        this.counted = { at: Date.now(), counts };
        return counts;
      })
      .finally(() => (this.counting = undefined));
    return this.counting;
  }
}
