import { Injectable } from '@nestjs/common';
import { Prisma } from '@prisma/client';
import { PrismaService } from '../prisma/prisma.service';

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

interface Row {
  state: 'in_flight' | 'completed';
  request_hash: string;
  status_code: number | null;
  response_body: unknown;
  claimed: boolean;
}

/** `idempotency_records`: the first answer to each (account, scope, key). */
@Injectable()
export class IdempotencyRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Claims the key for this request in one statement: a new key is inserted in flight; an
   * existing one is taken over only when it expired (completed longer than `ttlMs` ago) or was
   * abandoned (in flight longer than `inFlightTimeoutMs`: its process died). Of concurrent
   * claims exactly one wins; the others read what is there.
   */
  async claim(
    { accountId, scope, key }: IdempotencyScope,
    requestHash: string,
    { ttlMs, inFlightTimeoutMs }: { ttlMs: number; inFlightTimeoutMs: number },
  ): Promise<IdempotencyClaim> {
    const [claimed] = await this.prisma.queryRows<Row>(this.claimSql(accountId, scope, key, requestHash, ttlMs, inFlightTimeoutMs));
    if (claimed) return { kind: 'claimed' };
    const [row] = await this.prisma.queryRows<Row>(this.readSql(accountId, scope, key));
    // Released between our insert and this read (its request failed on our side): retry later.
    if (!row) return { kind: 'in_flight' };
    if (row.request_hash !== requestHash) return { kind: 'mismatch' };
    if (row.state === 'in_flight' || row.status_code === null) return { kind: 'in_flight' };
    return { kind: 'completed', statusCode: row.status_code, responseBody: row.response_body };
  }

  /** Stores the answer to replay; only the claim still in flight is completed. */
  async complete({ accountId, scope, key }: IdempotencyScope, statusCode: number, responseBody: unknown): Promise<void> {
    await this.prisma.idempotencyRecord.updateMany({
      where: { accountId, scope, key, state: 'in_flight' },
      data: { state: 'completed', statusCode, responseBody: responseBody as Prisma.InputJsonValue, completedAt: new Date() },
    });
  }

  /** Forgets a claim whose request failed on our side, so a retry runs it again. */
  async release({ accountId, scope, key }: IdempotencyScope): Promise<void> {
    await this.prisma.idempotencyRecord.deleteMany({ where: { accountId, scope, key, state: 'in_flight' } });
  }

  private claimSql(accountId: string, scope: string, key: string, requestHash: string, ttlMs: number, inFlightTimeoutMs: number): Prisma.Sql {
    return Prisma.sql`
      INSERT INTO idempotency_records (account_id, scope, key, request_hash, state, created_at)
      VALUES (${accountId}, ${scope}, ${key}, ${requestHash}, 'in_flight', now())
      ON CONFLICT (account_id, scope, key) DO UPDATE
        SET request_hash = EXCLUDED.request_hash, state = 'in_flight', status_code = NULL, response_body = NULL,
            created_at = now(), completed_at = NULL
        WHERE (idempotency_records.state = 'in_flight' AND idempotency_records.created_at < now() - make_interval(secs => ${inFlightTimeoutMs / 1000}))
           OR (idempotency_records.state = 'completed' AND idempotency_records.completed_at < now() - make_interval(secs => ${ttlMs / 1000}))
      RETURNING true AS claimed`;
  }

  private readSql(accountId: string, scope: string, key: string): Prisma.Sql {
    return Prisma.sql`
      SELECT state::text AS state, request_hash, status_code, response_body
      FROM idempotency_records WHERE account_id = ${accountId} AND scope = ${scope} AND key = ${key}`;
  }
}
