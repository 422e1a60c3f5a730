import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import type { EventPayloads } from '@numbers/contracts';
import { OutboxRelayRepository } from '@numbers/persistence';
import { EventPublisher } from '../events/event-publisher';
import { QueueRegistry } from '../queues/queue-registry';
import { MESSAGING_OPTIONS, type MessagingOptions } from '../workers/messaging-options';
import { planBatch } from './outbox-batch';

export const OUTBOX_BATCH_SIZE = 200;
const MAX_ERROR_BACKOFF_MS = 5_000;

export interface BatchResult {
  /** Rows this relay locked. */
  selected: number;
  /** Rows published and marked. */
  published: number;
}

/**
 * The transactional outbox relay. Every `outboxPollMs` it drains the outbox: in one transaction
 * it locks up to 200 unpublished rows (`FOR UPDATE SKIP LOCKED`, so relays in other processes
 * take other rows), enqueues job rows with `addBulk` under their deterministic `jobId`, emits
 * event rows, and marks the rows published. A crash between publishing and marking publishes the
 * rows again: BullMQ keeps one job per `jobId`, and events are news. Full batches are drained
 * back to back; it sleeps only when the outbox is empty (or after an error).
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxRelay.name);
  private loop?: Promise<void>;
  private stopping = false;
  private wake?: () => void;

  constructor(
    private readonly outbox: OutboxRelayRepository,
    private readonly queues: QueueRegistry,
    private readonly events: EventPublisher,
    private readonly config: AppConfig,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.relay) this.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.run();
  }

  /** Finishes the batch in flight, then returns; the relay publishes nothing after. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
    this.stopping = false;
  }

  /** Publishes batches until the outbox has no unpublished row this relay can lock. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const batch = await this.relayBatch();
      total += batch.published;
      if (batch.selected < OUTBOX_BATCH_SIZE || batch.published === 0 || this.stopping) return total;
    }
  }

  /** One batch, in one transaction. Exposed for tests (e.g. to simulate a crash before marking). */
  async relayBatch(options: { markPublished?: boolean } = {}): Promise<BatchResult> {
    let locked: bigint[] = [];
    let published = 0;
    try {
      const selected = await this.outbox.publishBatch(OUTBOX_BATCH_SIZE, async (rows) => {
        locked = rows.map((r) => r.id);
        const plan = planBatch(rows, this.config.providerCallAttempts);
        await Promise.all([...plan.jobsByQueue].map(([queue, jobs]) => this.queues.get(queue).addBulk(jobs)));
        await Promise.all(plan.events.map((e) => this.events.publish(e.name, e.payload as EventPayloads[typeof e.name])));
        for (const { id, reason } of plan.unknown) this.logger.error({ outboxId: String(id) }, `outbox row not published: ${reason}`);
        published = plan.publishable.length;
        return { published: options.markPublished === false ? [] : plan.publishable, unpublishable: plan.unknown };
      });
      return { selected, published };
    } catch (error) {
      await this.recordFailure(locked, error);
      throw error;
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        const published = await this.drain();
        if (published > 0) this.logger.debug(`published ${published} outbox rows`);
        failures = 0;
      } catch (error) {
        failures++;
        this.logger.error(`outbox relay: ${(error as Error).message}`);
      }
      if (this.stopping) break;
      const backoff = failures === 0 ? this.config.outboxPollMs : Math.min(this.config.outboxPollMs * 2 ** failures, MAX_ERROR_BACKOFF_MS);
      await this.sleep(backoff);
    }
  }

  /** Leaves the rows unpublished (they are retried) and stores why, for operators. */
  private async recordFailure(ids: bigint[], error: unknown): Promise<void> {
    if (ids.length === 0) return;
    const message = (error as Error).message?.slice(0, 1000) ?? String(error);
    try {
      await this.outbox.recordFailure(ids, message);
    } catch (bookkeeping) {
      // The database itself is failing: the rows stay unpublished either way and are retried.
      this.logger.warn(`outbox relay: could not record the failure: ${(bookkeeping as Error).message}`);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
