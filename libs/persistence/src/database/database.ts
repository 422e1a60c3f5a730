import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { CamelCasePlugin, Kysely, PostgresDialect, type Transaction, type TransactionBuilder } from 'kysely';
import { Pool } from 'pg';
import { AppConfig } from '@numbers/config';
import { kyselyPool, StatementCount } from './named-statements';
import { holdingOneConnection } from './one-connection';
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
 * is off (PgBouncer in transaction mode). The pool is sized for the transactions running at once,
 * not for a worker's jobs: a job waiting on a provider holds no connection.
 */
@Injectable()
export class Database extends Kysely<DB> implements OnModuleDestroy {
  private readonly pool: Pool;
  private readonly statements: StatementCount;

  constructor(config: AppConfig) {
    const pool = new Pool({
      connectionString: config.databaseUrl,
      max: config.databasePoolSize,
      connectionTimeoutMillis: config.databaseConnectTimeoutMs,
      statement_timeout: config.databaseStatementTimeoutMs,
      idle_in_transaction_session_timeout: TRANSACTION_IDLE_LIMIT_MS,
      lock_timeout: TRANSACTION_IDLE_LIMIT_MS,
    });
    // A connection the server ends (a restart, pg_terminate_backend, our own idle-in-transaction
    // limit) emits 'error' on its client, and an 'error' nobody listens to ends the process. pg
    // listens only while a client sits idle in the pool, so this one listens for the client's
    // whole life: checked out, the error also fails the statement running or the next one, so
    // only that unit of work fails, and the pool then discards the client.
    const logger = new Logger(Database.name);
    pool.on('connect', (client) => client.on('error', (error) => logger.warn(`database connection lost: ${error.message}`)));
    // pg re-emits an idle client's error on the pool: already logged by the listener above.
    pool.on('error', () => undefined);
    const statements = new StatementCount();
    super({
      dialect: new PostgresDialect({ pool: kyselyPool(pool, config.databaseNamedStatements, statements) }),
      plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true })],
    });
    this.pool = pool;
    this.statements = statements;
  }

  /** Statements this process has sent to PostgreSQL, BEGIN and COMMIT included (the metric `numbers_database_statements_total`). */
  get statementsSent(): number {
    return this.statements.value;
  }

  /** The most connections this process opens at once. */
  get poolSize(): number {
    return this.pool.options.max ?? 0;
  }

  /**
   * A transaction whose work may not ask the pool for a second connection (`SecondConnectionError`):
   * every connection checked out is then released without waiting for another, so a pool smaller
   * than the units of work running at once makes them queue, never deadlock.
   */
  override transaction(): TransactionBuilder<DB> {
    return holdingOneConnection(this.pool, super.transaction());
  }

  async onModuleDestroy(): Promise<void> {
    await this.destroy();
  }

  /** Runs `work` in the caller's transaction when given one, else in a new one. */
  inTransaction<T>(tx: Tx | undefined, work: (tx: Tx) => Promise<T>): Promise<T> {
    return tx ? work(tx) : this.transaction().execute(work);
  }
}
