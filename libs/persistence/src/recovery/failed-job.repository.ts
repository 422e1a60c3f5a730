import { Injectable } from '@nestjs/common';
import { WEBHOOK_JOB_NAMES } from '@numbers/contracts';
import { sql, type SelectQueryBuilder } from 'kysely';
import { Database, type Tx } from '../database/database';
import type { DB, FailedJob } from '../database/rows';
import { activeRequestId, activeTraceparent } from '../outbox/trace-context';

/**
 * Why a job failed for good: `exhausted`, every attempt failed (a provider or the database was
 * down for longer than the retries last: it may work later, so it is re-driven), or `refused`, it
 * failed at once because a retry cannot help (a provider's 4xx, `GiveUpError`): re-sending the
 * same request would get the same answer, so it is left for an operator.
 */
export type FailureReason = 'exhausted' | 'refused';

/** A job BullMQ gave up on, as the worker saw it. */
export interface JobFailure {
  /** The outbox row it was published from (`outboxIdOf`), if any. */
  outboxId?: bigint;
  jobId: string;
  name: string;
  payload: unknown;
  reason: FailureReason;
  /** Attempts made by this run of the job. */
  attempts: number;
  lastError: string;
}

const MAX_ERROR_LENGTH = 2000;
const webhookJobs: readonly string[] = WEBHOOK_JOB_NAMES;

/**
 * `failed_jobs`: every job that failed for good, and its re-drives. A failure is recorded by the
 * worker that ran the job's last attempt; an `exhausted` one waits `delays[redrives]` and is
 * published again through the outbox (`redriveDue`, run by `redrive-failed-jobs`), so it is
 * durable and gets a fresh BullMQ job id. The re-driven job's outbox row replaces the old one on
 * the record, so its own failure updates the same row and waits the next, longer delay; past the
 * last delay, or refused, the row is `abandoned` until an operator re-drives it (`redrive`).
 */
@Injectable()
export class FailedJobRepository {
  constructor(private readonly db: Database) {}

  /** Records the failure (on the row of its earlier failure, if it was re-driven) and ends its outbox row. */
  record(failure: JobFailure, redriveDelaysMs: readonly number[]): Promise<FailedJob> {
    return this.db.transaction().execute(async (tx) => {
      const outboxId = failure.outboxId === undefined ? null : String(failure.outboxId);
      const earlier = outboxId
        ? await tx.selectFrom('failedJobs').selectAll().where('outboxId', '=', outboxId).forUpdate().executeTakeFirst()
        : undefined;
      const delayMs = failure.reason === 'exhausted' ? redriveDelaysMs[earlier?.redrives ?? 0] : undefined;
      const outcome = {
        jobId: failure.jobId,
        reason: failure.reason,
        attempts: failure.attempts,
        lastError: failure.lastError.slice(0, MAX_ERROR_LENGTH),
        status: delayMs === undefined ? ('abandoned' as const) : ('waiting' as const),
        nextRedriveAt: delayMs === undefined ? null : sql<Date>`now() + ${delayMs} * interval '1 millisecond'`,
        failedAt: sql<Date>`now()`,
      };
      const row = earlier
        ? await tx
            .updateTable('failedJobs')
            .set({ ...outcome, totalAttempts: earlier.totalAttempts + failure.attempts })
            .where('id', '=', earlier.id)
            .returningAll()
            .executeTakeFirstOrThrow()
        : await tx
            .insertInto('failedJobs')
            .values({ ...outcome, outboxId, name: failure.name, payload: JSON.stringify(failure.payload), totalAttempts: failure.attempts })
            .returningAll()
            .executeTakeFirstOrThrow();
      if (outboxId) await tx.updateTable('outbox').set({ finishedAt: sql<Date>`now()` }).where('id', '=', outboxId).execute();
      return row;
    });
  }

  /**
   * The job of outbox row `outboxId` completed: its row is finished, and a failure it re-drove is
   * resolved. One statement.
   */
  async completed(outboxId: bigint): Promise<void> {
    await this.db
      .with('finished', (db) => db.updateTable('outbox').set({ finishedAt: sql<Date>`now()` }).where('id', '=', String(outboxId)).where('finishedAt', 'is', null))
      .updateTable('failedJobs')
      .set({ status: 'resolved', resolvedAt: sql<Date>`now()` })
      .where('outboxId', '=', String(outboxId))
      .where('status', '=', 'redriven')
      .execute();
  }

  /**
   * Publishes again, through the outbox, up to `limit` failures whose re-drive is due (`FOR UPDATE
   * SKIP LOCKED`: concurrent runs take other rows), in one transaction. Returns them as re-driven.
   */
  redriveDue(limit: number): Promise<FailedJob[]> {
    return this.redriveBatch(limit, (query) => query.where('status', '=', 'waiting').where('nextRedriveAt', '<=', sql<Date>`now()`).orderBy('nextRedriveAt'));
  }

  /**
   * An operator's re-drive of every failure waiting or abandoned, `batch` per transaction (the
   * rows it re-drives leave those states, so the loop ends). Returns them as re-driven.
   */
  async redriveAll(batch: number): Promise<FailedJob[]> {
    const redriven: FailedJob[] = [];
    for (;;) {
      const rows = await this.redriveBatch(batch, (query) => query.where('status', 'in', ['waiting', 'abandoned']).orderBy('id'));
      redriven.push(...rows);
      if (rows.length < batch) return redriven;
    }
  }

  /** Re-drives up to `limit` of the failures `narrow` picks, in one transaction (`FOR UPDATE SKIP LOCKED`: concurrent runs take other rows). */
  private redriveBatch(limit: number, narrow: (query: SelectQueryBuilder<DB, 'failedJobs', FailedJob>) => SelectQueryBuilder<DB, 'failedJobs', FailedJob>): Promise<FailedJob[]> {
    return this.db.transaction().execute(async (tx) => {
      const rows = await narrow(tx.selectFrom('failedJobs').selectAll()).limit(limit).forUpdate().skipLocked().execute();
      const redriven: FailedJob[] = [];
      for (const row of rows) redriven.push(await this.redriveIn(tx, row));
      return redriven;
    });
  }

  /**
   * An operator's re-drive of one failure, whatever its re-drives so far (`waiting` or
   * `abandoned`); undefined when there is no such failure, or it is re-driven or resolved already.
   */
  redrive(id: string): Promise<FailedJob | undefined> {
    return this.db.transaction().execute(async (tx) => {
      const row = await tx
        .selectFrom('failedJobs')
        .selectAll()
        .where('id', '=', id)
        .where('status', 'in', ['waiting', 'abandoned'])
        .forUpdate()
        .executeTakeFirst();
      return row ? this.redriveIn(tx, row) : undefined;
    });
  }

  /** Failures, newest first; `status` narrows them. */
  list(options: { status?: FailedJob['status']; limit: number }): Promise<FailedJob[]> {
    let query = this.db.selectFrom('failedJobs').selectAll().orderBy('failedAt', 'desc').limit(options.limit);
    if (options.status) query = query.where('status', '=', options.status);
    return query.execute();
  }

  findById(id: string): Promise<FailedJob | undefined> {
    return this.db.selectFrom('failedJobs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * A new outbox row for the job (so a new BullMQ job id), its stored webhook event processable
   * again when the job processes one (the failed processing marked it `failed`, and a processed
   * event is skipped), and the failure marked re-driven by that row.
   */
  private async redriveIn(tx: Tx, row: FailedJob): Promise<FailedJob> {
    const published = await tx
      .insertInto('outbox')
      .values({ kind: 'job', name: row.name, payload: JSON.stringify(row.payload), traceparent: activeTraceparent(), requestId: activeRequestId() })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (webhookJobs.includes(row.name)) {
      const { webhookEventId } = row.payload as { webhookEventId: string };
      await tx
        .updateTable('webhookEvents')
        .set({ processedAt: null, outcome: null })
        .where('id', '=', webhookEventId)
        .where('outcome', '=', 'failed')
        .execute();
    }
    return tx
      .updateTable('failedJobs')
      .set((eb) => ({
        status: 'redriven',
        outboxId: published.id,
        redrives: eb('redrives', '+', 1),
        nextRedriveAt: null,
        redrivenAt: sql<Date>`now()`,
      }))
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }
}
