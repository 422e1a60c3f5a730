import { Injectable } from '@nestjs/common';
import type { StockAvailablePayload } from '@numbers/contracts';
import { newId, stockAvailableEventOf, type StockNumberType, type StockScope } from '@numbers/domain';
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { Database, type Tx } from '../database/database';
import type { DB } from '../database/schema.generated';
import { recordCustomerEvent } from '../webhooks-out/customer-event.repository';

/** The first key of the two-key advisory lock on an account's stock watches (one lock per account). */
const ACCOUNT_STOCK_WATCHES_LOCK = 0x5155_0002;

/** The most watches one transaction announces and ends: a popular country's watches go in several short ones. */
const ANNOUNCE_BATCH = 100;

/** A watch as the API shows it (the SDK's `PhoneNumberStockWatch`), with its country's name. */
export interface StockWatchView {
  id: string;
  country: string;
  countryName: string;
  numberType: StockNumberType | null;
  areaCode: string | null;
  createdAt: Date;
}

export type CreateStockWatchResult =
  | { outcome: 'created' | 'existing'; watch: StockWatchView }
  | { outcome: 'unknown_country' }
  | { outcome: 'limit_reached'; limit: number };

/** A watch that was announced and ended, and the event it was sent. */
export interface AnnouncedWatch {
  watchId: string;
  accountId: string;
  eventId: string;
}

function inScope(scope: StockScope) {
  return (eb: ExpressionBuilder<DB, 'stockWatches'>): Expression<SqlBool> =>
    eb.and([
      eb('stockWatches.country', '=', scope.country),
      scope.numberType === null ? eb('stockWatches.numberType', 'is', null) : eb('stockWatches.numberType', '=', scope.numberType),
      scope.areaCode === null ? eb('stockWatches.areaCode', 'is', null) : eb('stockWatches.areaCode', '=', scope.areaCode),
    ]);
}

/**
 * Stock watches (`stock_watches`): an account's wishes to hear when numbers of a country (a type,
 * an area) are in stock again, and the sweep's side of them. Every read and write the API makes
 * names the account, so another account's watch is simply not found.
 */
@Injectable()
export class StockWatchRepository {
  constructor(private readonly db: Database) {}

  /**
   * Adds a watch, or answers the account's watch of the same scope. Under the account's lock
   * (transaction-scoped), so concurrent creates neither make two of one scope nor pass `limit`.
   */
  async create(accountId: string, scope: StockScope, limit: number): Promise<CreateStockWatchResult> {
    return this.db.transaction().execute(async (tx) => {
      const country = await tx.selectFrom('countries').select('name').where('code', '=', scope.country).executeTakeFirst();
      if (!country) return { outcome: 'unknown_country' };
      await sql`SELECT FROM pg_advisory_xact_lock(${ACCOUNT_STOCK_WATCHES_LOCK}::int, hashtext(${accountId}))`.execute(tx);
      const existing = await this.views(tx).where('stockWatches.accountId', '=', accountId).where(inScope(scope)).executeTakeFirst();
      if (existing) return { outcome: 'existing', watch: existing };
      const { held } = await tx.selectFrom('stockWatches').select((eb) => eb.fn.countAll<string>().as('held')).where('accountId', '=', accountId).executeTakeFirstOrThrow();
      if (Number(held) >= limit) return { outcome: 'limit_reached', limit };
      const row = await tx
        .insertInto('stockWatches')
        .values({ id: newId(), accountId, country: scope.country, numberType: scope.numberType, areaCode: scope.areaCode })
        .returning(['id', 'country', 'numberType', 'areaCode', 'createdAt'])
        .executeTakeFirstOrThrow();
      return { outcome: 'created', watch: { ...row, countryName: country.name } };
    });
  }

  /** The account's watches, oldest first. */
  async listForAccount(accountId: string): Promise<StockWatchView[]> {
    return this.views(this.db).where('stockWatches.accountId', '=', accountId).orderBy('stockWatches.createdAt').orderBy('stockWatches.id').execute();
  }

  /** Whether the account had this watch. */
  async delete(accountId: string, id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('stockWatches').where('id', '=', id).where('accountId', '=', accountId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /**
   * The scopes the sweep asks the carrier about this run: at most `limit` of them, least recently
   * asked first, only in countries we sell in. One statement picks them and stamps their watches'
   * `checked_at`, so the next run goes on with the others.
   */
  async claimScopes(limit: number, now: Date): Promise<StockScope[]> {
    const { rows } = await sql<StockScope>`
      WITH picked AS (
        SELECT w.country, w.number_type, w.area_code
        FROM stock_watches w
        JOIN countries c ON c.code = w.country AND c.available
        GROUP BY w.country, w.number_type, w.area_code
        ORDER BY max(w.checked_at) NULLS FIRST, min(w.created_at)
        LIMIT ${limit}
      ), stamped AS (
        UPDATE stock_watches w SET checked_at = ${now}
        FROM picked p
        WHERE w.country = p.country AND w.number_type IS NOT DISTINCT FROM p.number_type AND w.area_code IS NOT DISTINCT FROM p.area_code
      )
      SELECT country, number_type::text, area_code FROM picked`.execute(this.db);
    return rows;
  }

  /**
   * Announces `stock` to every watch of `scope` and ends them: each transaction deletes a batch of
   * the watches (`FOR UPDATE SKIP LOCKED`: a concurrent run takes others, or finds them gone) and
   * records one `phone_number.stock_available` event per deleted watch, for its account, with its
   * deliveries. So a watch is announced once: never twice (it is gone with its event), never lost
   * (its event commits with its end, or neither does).
   */
  async announce(scope: StockScope, stock: StockAvailablePayload['stock'], at: Date): Promise<AnnouncedWatch[]> {
    const announced: AnnouncedWatch[] = [];
    for (;;) {
      const batch = await this.db.transaction().execute((tx) => this.announceBatch(scope, stock, at, tx));
      announced.push(...batch);
      if (batch.length < ANNOUNCE_BATCH) return announced;
    }
  }

  private async announceBatch(scope: StockScope, stock: StockAvailablePayload['stock'], at: Date, tx: Tx): Promise<AnnouncedWatch[]> {
    const ended = await tx
      .deleteFrom('stockWatches')
      .where('id', 'in', tx.selectFrom('stockWatches').select('id').where(inScope(scope)).orderBy('id').limit(ANNOUNCE_BATCH).forUpdate().skipLocked())
      .returning(['id', 'accountId'])
      .execute();
    const announced: AnnouncedWatch[] = [];
    for (const watch of ended) {
      const event = stockAvailableEventOf(stock, at);
      await recordCustomerEvent(tx, watch.accountId, event);
      announced.push({ watchId: watch.id, accountId: watch.accountId, eventId: event.id });
    }
    return announced;
  }

  private views(executor: Database | Tx) {
    return executor
      .selectFrom('stockWatches')
      .innerJoin('countries', 'countries.code', 'stockWatches.country')
      .select(['stockWatches.id', 'stockWatches.country', 'countries.name as countryName', 'stockWatches.numberType', 'stockWatches.areaCode', 'stockWatches.createdAt']);
  }
}
