import { Injectable } from '@nestjs/common';
import { Database } from '../database/database';
import { deleteInBatches } from '../database/delete-in-batches';

/** How many rows a pruning run deleted, by table. */
export interface PrunedRecords {
  outbox: number;
  webhookEvents: number;
  idempotencyRecords: number;
}

/** The cut-offs of one run: rows older than these go. */
export interface PruneCutoffs {
  /** Outbox rows finished (an event published, a job that completed or failed for good) before it. */
  outbox: Date;
  /** Webhook events processed before it, except those whose processing failed. */
  webhookEvents: Date;
  /** Idempotency-Key records completed (or, in flight, last claimed) before it. */
  idempotencyRecords: Date;
}

/**
 * Deletes what has served its purpose, `batch` rows per statement (`deleteInBatches`), each
 * batch found through an index (`outbox_finished_at_published_at_idx`,
 * `webhook_events_processed_at_idx`, `idempotency_records_created_at_idx`).
 *
 * - An outbox row that is unpublished, or published and unfinished (a job under way, or lost
 *   with Redis and still to be found by recover-lost-jobs), is never deleted.
 * - A webhook event whose processing failed is kept: an operator may re-drive its job or
 *   reprocess it (`webhook:reprocess`); the provider will not send it again.
 */
@Injectable()
export class RecordPruningRepository {
  constructor(private readonly db: Database) {}

  async prune(cutoffs: PruneCutoffs, batch: number): Promise<PrunedRecords> {
    const outbox = await deleteInBatches(batch, () =>
      this.db
        .deleteFrom('outbox')
        .where('id', 'in', (eb) =>
          eb.selectFrom('outbox').select('id').where('finishedAt', '<', cutoffs.outbox).where('publishedAt', 'is not', null).limit(batch),
        )
        .executeTakeFirst(),
    );
    const webhookEvents = await deleteInBatches(batch, () =>
      this.db
        .deleteFrom('webhookEvents')
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('webhookEvents')
            .select('id')
            .where('processedAt', '<', cutoffs.webhookEvents)
            .where((w) => w.or([w('outcome', 'is', null), w('outcome', '!=', 'failed')]))
            .limit(batch),
        )
        .executeTakeFirst(),
    );
    const idempotencyRecords = await deleteInBatches(batch, () =>
      this.db
        .deleteFrom('idempotencyRecords')
        .where((eb) =>
          eb(
            eb.refTuple('accountId', 'scope', 'key'),
            'in',
            eb
              .selectFrom('idempotencyRecords')
              .select(['accountId', 'scope', 'key'])
              // created_at is when the claim was taken or last renewed; a completed record completed after it.
              .where('createdAt', '<', cutoffs.idempotencyRecords)
              .where((w) => w.or([w('state', '=', 'in_flight'), w('completedAt', '<', cutoffs.idempotencyRecords)]))
              .limit(batch)
              .$asTuple('accountId', 'scope', 'key'),
          ),
        )
        .executeTakeFirst(),
    );
    return { outbox, webhookEvents, idempotencyRecords };
  }
}
