import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '../database/database';

/** One request under an Idempotency-Key: the account, what it was sent to, the key. */
export interface IdempotencyScope {
  accountId: string;
  /** Method and route, so one key cannot be replayed against another endpoint. */
  scope: string;
  key: string;
}

export type IdempotencyClaim =
  /** This request owns the key: run it, then `complete` (or `release` on our own fault). */
  | { kind: 'claimed' }
  | { kind: 'in_flight' }
  /** The key was first used with another body. */
  | { kind: 'mismatch' }
  | { kind: 'completed'; statusCode: number; responseBody: unknown };

/** `idempotency_records`: the first answer to each (account, scope, key). */
@Injectable()
export class IdempotencyRepository {
  constructor(private readonly db: Database) {}

  /**
   * Claims the key for this request in one statement: a new key is inserted in flight; an
   * existing one is taken over only when it expired (completed longer than `ttlMs` ago) or was
   * abandoned (in flight and neither claimed nor renewed for `inFlightTimeoutMs`: its process
   * died). Of concurrent claims exactly one wins; the others read what is there. `createdAt` is
   * when the claim was taken or last renewed.
   */
  async claim(
    { accountId, scope, key }: IdempotencyScope,
    requestHash: string,
    { ttlMs, inFlightTimeoutMs }: { ttlMs: number; inFlightTimeoutMs: number },
  ): Promise<IdempotencyClaim> {
    const claimed = await this.db
      .insertInto('idempotencyRecords')
      .values({ accountId, scope, key, requestHash, state: 'in_flight', createdAt: sql`now()` })
      .onConflict((conflict) =>
        conflict
          .columns(['accountId', 'scope', 'key'])
          .doUpdateSet({
            requestHash: (eb) => eb.ref('excluded.requestHash'),
            state: 'in_flight',
            statusCode: null,
            responseBody: null,
            createdAt: sql`now()`,
            completedAt: null,
          })
          .where((eb) =>
            eb.or([
              eb.and([
                eb('idempotencyRecords.state', '=', 'in_flight'),
                eb('idempotencyRecords.createdAt', '<', sql<Date>`now() - make_interval(secs => ${inFlightTimeoutMs / 1000})`),
              ]),
              eb.and([
                eb('idempotencyRecords.state', '=', 'completed'),
                eb('idempotencyRecords.completedAt', '<', sql<Date>`now() - make_interval(secs => ${ttlMs / 1000})`),
              ]),
            ]),
          ),
      )
      .returning('accountId')
      .executeTakeFirst();
    if (claimed) return { kind: 'claimed' };
    const row = await this.db
      .selectFrom('idempotencyRecords')
      .select(['state', 'requestHash', 'statusCode', 'responseBody'])
      .where('accountId', '=', accountId)
      .where('scope', '=', scope)
      .where('key', '=', key)
      .executeTakeFirst();
    // Released between our insert and this read (its request failed on our side): retry later.
    if (!row) return { kind: 'in_flight' };
    if (row.requestHash !== requestHash) return { kind: 'mismatch' };
    if (row.state === 'in_flight' || row.statusCode === null) return { kind: 'in_flight' };
    return { kind: 'completed', statusCode: row.statusCode, responseBody: row.responseBody };
  }

  /** Stores the answer to replay; only the claim still in flight is completed. */
  async complete({ accountId, scope, key }: IdempotencyScope, statusCode: number, responseBody: unknown): Promise<void> {
    await this.db
      .updateTable('idempotencyRecords')
      // Serialized here: pg would send a JS array as a PostgreSQL array, not as JSON.
      .set({ state: 'completed', statusCode, responseBody: responseBody === undefined ? null : JSON.stringify(responseBody), completedAt: new Date() })
      .where('accountId', '=', accountId)
      .where('scope', '=', scope)
      .where('key', '=', key)
      .where('state', '=', 'in_flight')
      .execute();
  }

  /** Marks a claim still in flight as alive, so it is not taken over while its request runs. */
  async renew({ accountId, scope, key }: IdempotencyScope): Promise<void> {
    await this.db
      .updateTable('idempotencyRecords')
      .set({ createdAt: sql`now()` })
      .where('accountId', '=', accountId)
      .where('scope', '=', scope)
      .where('key', '=', key)
      .where('state', '=', 'in_flight')
      .execute();
  }

  /** Forgets a claim whose request failed on our side, so a retry runs it again. */
  async release({ accountId, scope, key }: IdempotencyScope): Promise<void> {
    await this.db
      .deleteFrom('idempotencyRecords')
      .where('accountId', '=', accountId)
      .where('scope', '=', scope)
      .where('key', '=', key)
      .where('state', '=', 'in_flight')
      .execute();
  }
}
