import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { CamelCasePlugin, Kysely, PostgresDialect, type Transaction } from 'kysely';
import { Pool } from 'pg';
import { AppConfig } from '@numbers/config';
import { namedStatementPool } from './named-statements';
import type { DB } from './schema.generated';

/** A transaction: repositories take one optionally, so a use case composes writes in one. */
export type Tx = Transaction<DB>;

/** The database or a transaction on it: a query runs in the one it is given. */
export type Executor = Kysely<DB>;

/**
 * How long a transaction may sit idle (its process stuck between statements) or wait for a lock
 * before the server ends it, freeing its locks and undoing its writes. A transaction holds
 * database work only (no provider call), so this is generous.
 */
const TRANSACTION_IDLE_LIMIT_MS = 60_000;

/**
 * The one way to PostgreSQL at run time: Kysely, typed by the schema Prisma owns
 * (`schema.generated.ts`, written by `prisma generate`), on the process's one pg pool. Field
 * names are the schema's camelCase ones (Kysely's CamelCasePlugin maps them to the columns;
 * JSON values keep their keys). Statements are named (prepared) unless DATABASE_NAMED_STATEMENTS
 * is off (PgBouncer in transaction mode).
 */
@Injectable()
export class Database extends Kysely<DB> implements OnModuleDestroy {
  constructor(config: AppConfig) {
    const pool = new Pool({
      connectionString: config.databaseUrl,
      max: config.databasePoolSize,
      idle_in_transaction_session_timeout: TRANSACTION_IDLE_LIMIT_MS,
      lock_timeout: TRANSACTION_IDLE_LIMIT_MS,
    });
    // An idle client the server dropped (a restart, a terminated backend) must not end the process.
    const logger = new Logger(Database.name);
    pool.on('error', (error) => logger.warn(`idle database connection lost: ${error.message}`));
    super({
      dialect: new PostgresDialect({ pool: config.databaseNamedStatements ? namedStatementPool(pool) : pool }),
      plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true })],
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.destroy();
  }

  /** Runs `work` in the caller's transaction when given one, else in a new one. */
  inTransaction<T>(tx: Tx | undefined, work: (tx: Tx) => Promise<T>): Promise<T> {
    return tx ? work(tx) : this.transaction().execute(work);
  }
}
