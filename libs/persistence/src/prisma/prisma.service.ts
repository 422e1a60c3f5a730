import { createHash } from 'node:crypto';
import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient, type Prisma } from '@prisma/client';
import { Pool, type PoolClient, type QueryConfig } from 'pg';
import { CompiledQuery, Kysely } from 'kysely';
import { AppConfig } from '@numbers/config';
import type { Tx } from '../database/database';

/** A transaction handle; repositories take one optionally so use cases compose writes. */
export type PrismaTx = Prisma.TransactionClient;

/**
 * A transaction raw SQL runs in: Prisma's, or a pg client's (`inSqlTransaction`), where the same
 * statement costs a quarter of the CPU (Prisma compiles even raw SQL). Statements run in it go
 * through `runSql`.
 */
export type SqlTx = PrismaTx | PoolClient | Tx;

/**
 * The rows of `sql` (parameterized) in `tx`. pg returns int8 and numeric as strings where Prisma
 * gives BigInt and Decimal: a statement that may run on either casts them (`::int`, `::text`).
 * Prisma cannot read a `void` column: select none from a void function (`SELECT FROM f(...)`).
 */
export async function runSql<T>(tx: SqlTx, sql: Prisma.Sql): Promise<T[]> {
  if (tx instanceof Kysely) return (await tx.executeQuery<T>(CompiledQuery.raw(sql.text, sql.values))).rows;
  if ('$queryRaw' in tx) return tx.$queryRaw<T[]>(sql);
  const { rows } = await tx.query(prepared(sql));
  return rows as T[];
}

/** Statement texts seen, by name; past the cap a text runs unnamed (texts built from varying lists). */
const statementNames = new Map<string, string>();
const MAX_NAMED_STATEMENTS = 500;

/**
 * `sql` as a named statement: pg prepares it once per connection and then skips parsing and
 * planning it again, and the hot statements run thousands of times with the same text.
 */
function prepared(sql: Prisma.Sql): QueryConfig {
  let name = statementNames.get(sql.text);
  if (!name && statementNames.size < MAX_NAMED_STATEMENTS) {
    name = `numbers_${createHash('sha1').update(sql.text).digest('hex').slice(0, 20)}`;
    statementNames.set(sql.text, name);
  }
  return name ? { name, text: sql.text, values: sql.values } : { text: sql.text, values: sql.values };
}

/**
 * The Prisma client over the pg driver adapter (no native engine: see docs/database.md), and the
 * process's one pg pool under it, ended with the client on `$disconnect`.
 */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit, OnModuleDestroy {
  private readonly pool: Pool;

  constructor(config: AppConfig) {
    const pool = new Pool({ connectionString: config.databaseUrl, max: config.databasePoolSize });
    super({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
    this.pool = pool;
  }

  async onModuleInit(): Promise<void> {
    await this.$connect();
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }

  /**
   * The rows of a raw read (parameterized): in the caller's transaction (`runSql`), else
   * straight through the pool, without Prisma's conversion of every value, which costs more CPU
   * than the rest of a request when it returns hundreds of rows (profiled: `npm run bench -- list`).
   * For text, integer, boolean and timestamptz columns both give the same values; use it only
   * for those.
   */
  async queryRows<T>(sql: Prisma.Sql, tx?: SqlTx): Promise<T[]> {
    if (tx) return runSql<T>(tx, sql);
    const { rows } = await this.pool.query(prepared(sql));
    return rows as T[];
  }

  /**
   * `work` in a transaction on one connection of the pool, with plain SQL (`runSql`): for the hot
   * paths that write no Prisma model in the same transaction (the outbox relay, `start-billing`,
   * the quantity sync, a purchase without KYC). A Prisma query costs 1-2 ms of CPU here, the same
   * statement through pg a tenth of that (measured). A transaction left idle for `idleLimitMs`
   * (its process stuck between statements) is ended by the server, its locks freed and its writes
   * undone, as Prisma's transaction timeout would; so is one that waits that long for a lock.
   */
  async inSqlTransaction<T>(work: (client: PoolClient) => Promise<T>, idleLimitMs = 60_000): Promise<T> {
    const client = await this.pool.connect();
    try {
      // A lock waited for longer than the same limit fails the transaction, as Prisma's timeout would.
      const limit = Math.trunc(idleLimitMs);
      await client.query(`BEGIN; SET LOCAL idle_in_transaction_session_timeout = ${limit}; SET LOCAL lock_timeout = ${limit}`);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Runs `work` in the caller's transaction when given one, else in a new one. */
  inTransaction<T>(tx: PrismaTx | undefined, work: (tx: PrismaTx) => Promise<T>): Promise<T> {
    return tx ? work(tx) : this.$transaction(work);
  }
}
