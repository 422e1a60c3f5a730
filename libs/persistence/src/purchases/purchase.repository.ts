import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { ENDED_SUBSCRIPTION } from '@numbers/domain';
import { Database, type Executor, type Tx } from '../database/database';
import type { NumberType } from '../database/schema.generated';
import { NumberLifecycle } from '../lifecycle/number-lifecycle';

/**
 * `failure_reason` of a number whose purchase was undone because no Checkout Session could be
 * created: it was never offered for payment, so it is not a purchase for the velocity rule.
 */
export const CHECKOUT_NOT_CREATED_REASON = 'checkout could not be created';

/** The account a purchase is for, with its plan's limit. */
export interface PurchasingAccount {
  id: string;
  name: string;
  planCode: string;
  maxNumbers: number;
  /** Whether the profile the purchase names is one of the account's. */
  profileFound: boolean;
}

export interface PurchaseIntentHit {
  numberId: string;
  phoneNumber: string | null;
  /**
   * Set when the number is a first purchase still `pending_payment` without a Checkout Session:
   * creating the session failed and undoing the purchase failed too, so a retry must create (or
   * find) the session. `createdAt` and `monthlyCents` are the number's, for the same request.
   */
  checkoutToResume: { createdAt: Date; monthlyCents: number } | null;
}

/** What the purchase rules decide on, read in the purchase's transaction after the account lock. */
export interface PurchaseStanding {
  /** The number the purchase's intent id already bought, or null (also without an intent id). */
  bought: PurchaseIntentHit | null;
  /** Numbers of the account that are not `released` (what the plan limit counts). */
  liveNumbers: number;
  /** A number created since the given instant (excluding purchases undone for want of a checkout). */
  recentPurchase: boolean;
  /** A number waiting for its (first) Checkout to be paid. */
  checkoutPending: boolean;
  /** A number that is not released already holds or waits for the exact E.164 number asked for. */
  phoneNumberHeld: boolean;
  stripeCustomerId: string | null;
  stripeSubscriptionId: string | null;
}

/** The purchase the standing is read for. */
export interface StandingQuery {
  accountId: string;
  /** Purchases created since this instant count for velocity. */
  recentSince: Date;
  purchaseIntentId?: string | null;
  phoneNumber?: string | null;
}

export interface PurchaseCountry {
  code: string;
  tier: number;
  monthlyCents: number;
  needsKyc: boolean;
  available: boolean;
  defaultNumberType: NumberType;
  /** `[{numberType, requirementId, label, kind, localTo?, ...}]` as stored. */
  kycRequirements: unknown;
}

/**
 * The reads and writes of a purchase (SPEC "Purchase"). Methods that take a transaction run in
 * it; `underAccountLock` makes every purchase of one account run one at a time.
 */
@Injectable()
export class PurchaseRepository {
  constructor(
    private readonly db: Database,
    private readonly lifecycle: NumberLifecycle,
  ) {}

  /** The account, its plan limit, and whether `profileId` is one of its profiles (folded in: one round trip). */
  loadAccount(accountId: string, profileId: string, tx?: Tx): Promise<PurchasingAccount | null> {
    return this.accountQuery(tx ?? this.db, accountId, profileId, { lock: false });
  }

  /**
   * `work` in one transaction that first reads the account as `loadAccount` does, locking its
   * row (`FOR UPDATE`): concurrent purchases of the account wait there until this transaction
   * ends, so the rules read after it (`standing`) see every earlier purchase committed.
   */
  underAccountLock<T>(accountId: string, profileId: string, work: (account: PurchasingAccount | null, tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (tx) => work(await this.accountQuery(tx, accountId, profileId, { lock: true }), tx));
  }

  private async accountQuery(db: Executor, accountId: string, profileId: string, options: { lock: boolean }): Promise<PurchasingAccount | null> {
    const account = await db
      .selectFrom('accounts as a')
      .innerJoin('plans as p', 'p.code', 'a.planCode')
      .select((eb) => [
        'a.id',
        'a.name',
        'a.planCode',
        'p.maxNumbers',
        eb.exists(eb.selectFrom('profiles as pr').select('pr.id').where('pr.id', '=', profileId).whereRef('pr.accountId', '=', 'a.id')).$castTo<boolean>().as('profileFound'),
      ])
      .where('a.id', '=', accountId)
      .$if(options.lock, (query) => query.forUpdate('a'))
      .executeTakeFirst();
    return account ?? null;
  }

  /**
   * One round trip for every fact the rules decide on after the account lock: the intent id
   * already used, the plan limit, velocity, a pending checkout, the subscription, and whether
   * the exact number is held. A statement of its own, after the lock's: only a statement that
   * starts once the lock is granted sees the purchases committed while it waited. Written as SQL:
   * one row of subqueries over a join the builder would only obscure. It reads phone_numbers
   * itself, not through AccountNumberRecords: one round trip under the lock is the point.
   */
  async standing(query: StandingQuery, tx?: Tx): Promise<PurchaseStanding> {
    const { accountId } = query;
    const { rows } = await sql<
      Omit<PurchaseStanding, 'bought'> & {
        boughtNumberId: string | null;
        boughtPhoneNumber: string | null;
        boughtCheckoutMissing: boolean | null;
        boughtCreatedAt: Date | null;
        boughtMonthlyCents: number | null;
      }
    >`
      SELECT
        i.number_id AS bought_number_id, i.phone_number AS bought_phone_number,
        i.checkout_missing AS bought_checkout_missing, i.created_at AS bought_created_at, i.monthly_cents AS bought_monthly_cents,
        (SELECT count(*)::int FROM phone_numbers
          WHERE account_id = ${accountId} AND status <> 'released') AS live_numbers,
        EXISTS (SELECT 1 FROM phone_numbers
          WHERE account_id = ${accountId} AND created_at >= ${query.recentSince}::timestamptz
            AND NOT (status = 'released' AND failure_reason IS NOT DISTINCT FROM ${CHECKOUT_NOT_CREATED_REASON})) AS recent_purchase,
        EXISTS (SELECT 1 FROM phone_numbers
          WHERE account_id = ${accountId} AND status = 'pending_payment') AS checkout_pending,
        EXISTS (SELECT 1 FROM phone_numbers
          WHERE phone_number = ${query.phoneNumber ?? null}::text AND status <> 'released') AS phone_number_held,
        b.stripe_customer_id,
        -- An ended subscription takes no more numbers: the next one starts a new Checkout.
        CASE WHEN b.subscription_status IN (${sql.join(ENDED_SUBSCRIPTION)}) THEN NULL ELSE b.stripe_subscription_id END AS stripe_subscription_id
      FROM (SELECT 1) AS one
      LEFT JOIN billing_accounts b ON b.account_id = ${accountId}
      LEFT JOIN (
        SELECT n.id AS number_id, n.phone_number, n.created_at, n.monthly_cents,
          (n.status = 'pending_payment' AND n.stripe_checkout_session_id IS NULL) AS checkout_missing
        FROM purchase_intents pi
        JOIN phone_numbers n ON n.id = pi.number_id
        WHERE pi.account_id = ${accountId} AND pi.intent_id = ${query.purchaseIntentId ?? null}::text
      ) i ON true`.execute(tx ?? this.db);
    const { boughtNumberId, boughtPhoneNumber, boughtCheckoutMissing, boughtCreatedAt, boughtMonthlyCents, ...facts } = rows[0];
    if (boughtNumberId === null) return { bought: null, ...facts };
    const checkoutToResume = boughtCheckoutMissing && boughtCreatedAt && boughtMonthlyCents !== null ? { createdAt: boughtCreatedAt, monthlyCents: boughtMonthlyCents } : null;
    return { bought: { numberId: boughtNumberId, phoneNumber: boughtPhoneNumber, checkoutToResume }, ...facts };
  }

  /** The country reference data a purchase is priced and checked by, or null when we do not sell there. */
  async findCountry(code: string, tx?: Tx): Promise<PurchaseCountry | null> {
    const country = await (tx ?? this.db)
      .selectFrom('countries')
      .select(['code', 'tier', 'monthlyCents', 'needsKyc', 'available', 'defaultNumberType', 'kycRequirements'])
      .where('code', '=', code)
      .executeTakeFirst();
    return country ?? null;
  }

  async isProfileOf(accountId: string, profileId: string, tx?: Tx): Promise<boolean> {
    const profile = await (tx ?? this.db).selectFrom('profiles').select('id').where('id', '=', profileId).where('accountId', '=', accountId).executeTakeFirst();
    return profile !== undefined;
  }

  /**
   * Stores the account's Stripe customer, keeping one stored earlier (the same customer: it is
   * created with an idempotency key per account). Returns the stored id.
   */
  async saveStripeCustomer(accountId: string, customerId: string, tx?: Tx): Promise<string> {
    const { stripeCustomerId } = await (tx ?? this.db)
      .insertInto('billingAccounts')
      .values({ accountId, stripeCustomerId: customerId, updatedAt: sql`now()` })
      .onConflict((conflict) =>
        conflict.column('accountId').doUpdateSet((eb) => ({
          stripeCustomerId: eb.fn.coalesce('billingAccounts.stripeCustomerId', 'excluded.stripeCustomerId'),
          updatedAt: sql`now()`,
        })),
      )
      .returning('stripeCustomerId')
      .executeTakeFirstOrThrow();
    return stripeCustomerId as string;
  }

  /**
   * Undoes a first purchase whose Checkout Session could not be created, in one transaction: the
   * number goes `pending_payment -> released` through the lifecycle (`checkout_expired`, failure
   * reason CHECKOUT_NOT_CREATED_REASON) and its intent id is freed, so a retry with it buys anew.
   */
  undoWithoutCheckout(accountId: string, numberId: string): Promise<void> {
    return this.db.transaction().execute(async (tx) => {
      await this.lifecycle.apply(
        numberId,
        'checkout_expired',
        { cause: CHECKOUT_NOT_CREATED_REASON, actor: 'system', patch: { failureReason: CHECKOUT_NOT_CREATED_REASON } },
        tx,
      );
      await this.forgetIntent(tx, accountId, numberId);
    });
  }

  /** Frees an intent id whose purchase was undone, so a retry with it buys anew. */
  async forgetIntent(tx: Tx, accountId: string, numberId: string): Promise<void> {
    await tx.deleteFrom('purchaseIntents').where('accountId', '=', accountId).where('numberId', '=', numberId).execute();
  }
}
