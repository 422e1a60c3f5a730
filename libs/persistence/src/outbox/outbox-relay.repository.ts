import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database, type Tx } from '../database/database';

/** An unpublished outbox row, as the relay reads it. */
export interface UnpublishedOutboxRow {
  id: bigint;
  kind: 'job' | 'event';
  name: string;
  payload: unknown;
  /** The trace context the row was written in; null when tracing was off. */
  traceparent: string | null;
  /** The gateway request the row descends from; null when no request started its work. */
  requestId: string | null;
}

/** A published job row not known to have finished, as `recover-lost-jobs` checks it. */
export interface UnfinishedOutboxJob {
  id: bigint;
  name: string;
  publishedAt: Date | null;
}

/** What the relay did with a locked batch. */
export interface OutboxBatchOutcome {
  /** Rows published: marked so. */
  published: bigint[];
  /** Rows left unpublished, each with the reason stored on it for operators. */
  unpublishable: { id: bigint; reason: string }[];
}

/**
 * The relay's side of `outbox`: locking unpublished rows, marking them published, and keeping the
 * reason a row could not be published. (Rows are written by `OutboxRepository.add` and
 * `outboxInsert`, in the transaction of the change they follow.)
 */
@Injectable()
export class OutboxRelayRepository {
  constructor(private readonly db: Database) {}

  /**
   * In one transaction: locks up to `limit` unpublished rows, oldest first (`FOR UPDATE SKIP
   * LOCKED`, so relays in other processes take other rows), hands them to `publish`, then marks
   * the rows it published and stores why the others were not. Returns how many rows it locked.
   * Nothing is locked or marked when `publish` throws: the rows stay unpublished.
   */
  publishBatch(limit: number, publish: (rows: UnpublishedOutboxRow[]) => Promise<OutboxBatchOutcome>): Promise<number> {
    return this.db.transaction().execute(async (tx) => {
      const read = await tx
        .selectFrom('outbox')
        .select(['id', 'kind', 'name', 'payload', 'traceparent', 'requestId'])
        .where('publishedAt', 'is', null)
        .orderBy('id')
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .execute();
      if (read.length === 0) return 0;
      const outcome = await publish(read.map((r) => ({ ...r, id: BigInt(r.id) })));
      if (outcome.published.length > 0) {
        await tx
          .updateTable('outbox')
          // An event is done once emitted; a job when it completes or fails for good.
          .set({ publishedAt: sql<Date>`now()`, finishedAt: sql<Date | null>`CASE WHEN kind = 'event' THEN now() END` })
          .where('id', '=', (eb) => eb.fn.any(eb.val(outcome.published.map(String))))
          .execute();
      }
      for (const { id, reason } of outcome.unpublishable) await this.recordFailure([id], reason, tx);
      return read.length;
    });
  }

  /**
   * Up to `limit` job rows published more than `olderThanMs` ago whose job has neither completed
   * nor failed for good, and that were not looked at in the last `olderThanMs`, stamped as looked
   * at (`checked_at`) in the same statement (`FOR UPDATE SKIP LOCKED`: concurrent runs take
   * others). The caller looks each up in BullMQ.
   */
  claimUnfinishedJobs(olderThanMs: number, limit: number): Promise<UnfinishedOutboxJob[]> {
    const cutoff = sql<Date>`now() - ${olderThanMs} * interval '1 millisecond'`;
    return this.db
      .updateTable('outbox')
      .set({ checkedAt: sql<Date>`now()` })
      .where('id', 'in', (db) =>
        db
          .selectFrom('outbox')
          .select('id')
          .where('finishedAt', 'is', null)
          .where('publishedAt', '<', cutoff)
          .where('kind', '=', 'job')
          .where((eb) => eb.or([eb('checkedAt', 'is', null), eb('checkedAt', '<', cutoff)]))
          .orderBy('publishedAt')
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      )
      .returning(['id', 'name', 'publishedAt'])
      .execute()
      .then((rows) => rows.map((r) => ({ ...r, id: BigInt(r.id) })));
  }

  /** The jobs of these rows were lost: the relay publishes them again, under the same job ids. */
  async republish(ids: bigint[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('outbox')
      .set({ publishedAt: null, checkedAt: null })
      .where('id', '=', (eb) => eb.fn.any(eb.val(ids.map(String))))
      .where('finishedAt', 'is', null)
      .execute();
  }

  /** These rows' jobs were found completed in BullMQ (their own mark was lost): finished. */
  async markFinished(ids: bigint[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('outbox')
      .set({ finishedAt: sql<Date>`now()` })
      .where('id', '=', (eb) => eb.fn.any(eb.val(ids.map(String))))
      .where('finishedAt', 'is', null)
      .execute();
  }

  /**
   * How far behind the relays are: the age in ms of the oldest unpublished row (0 when every row is
   * published). One row read from the `(published_at, id)` index.
   */
  async unpublishedLagMs(): Promise<number> {
    const oldest = await this.db
      .selectFrom('outbox')
      .select(sql<string>`extract(epoch from (now() - created_at)) * 1000`.as('ageMs'))
      .where('publishedAt', 'is', null)
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    return oldest ? Math.max(0, Number(oldest.ageMs)) : 0;
  }

  /** Counts a failed attempt on the rows still unpublished and stores why. */
  async recordFailure(ids: bigint[], reason: string, tx?: Tx): Promise<void> {
    await (tx ?? this.db)
      .updateTable('outbox')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), lastError: reason }))
      .where('id', '=', (eb) => eb.fn.any(eb.val(ids.map(String))))
      .where('publishedAt', 'is', null)
      .execute();
  }
}
