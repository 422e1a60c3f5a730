import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database, type Tx } from '../database/database';
import type { BillingAccount } from '../database/rows';
import { BILLING_STARTED } from './billing-state.repository';

/** The first key of the two-key advisory locks on an account's billing (one lock per account). */
const ACCOUNT_BILLING_LOCK = 0x5155_0001;

/** What Stripe says of an account's subscription, as stored when it becomes the account's. */
export interface StoredSubscription {
  customerId: string;
  subscriptionId: string;
  itemId: string;
  status: string;
  quantity: number;
}

/** What `claimTrialEnd` found: `syncHeldForMs` null when a number, not a sync, stands in the way. */
export type TrialEndClaim = { claimed: true; tookOverSync: string | null } | { claimed: false; syncHeldForMs: number | null };

/**
 * `billing_accounts`: an account's Stripe customer and subscription, and the account's billing
 * lock, which serialises everything that changes an account's subscription or explains its money
 * (quantity syncs, the start of a number's billing, Checkout's subscription, invoice and
 * subscription webhooks, credits): a transaction-scoped advisory lock, held until the
 * transaction ends.
 */
@Injectable()
export class BillingAccountRepository {
  constructor(private readonly db: Database) {}

  /** Takes the account's billing lock in `tx`, until it ends. */
  async lock(accountId: string, tx: Tx): Promise<void> {
    // No column selected: the function's `void` has no reader.
    await sql`SELECT FROM pg_advisory_xact_lock(${ACCOUNT_BILLING_LOCK}::int, hashtext(${accountId}))`.execute(tx);
  }

  /**
   * `lock` for the account of a number, found by the same statement (a number never changes
   * account; hence phone_numbers read here, not through PhoneNumberRecords): the account's id,
   * or null when there is no such number.
   */
  async lockOfNumber(numberId: string, tx: Tx): Promise<string | null> {
    const { rows } = await sql<{ accountId: string }>`
      SELECT p.account_id
      FROM phone_numbers p
      CROSS JOIN LATERAL (SELECT pg_advisory_xact_lock(${ACCOUNT_BILLING_LOCK}::int, hashtext(p.account_id))) locked
      WHERE p.id = ${numberId}`.execute(tx);
    return rows[0]?.accountId ?? null;
  }

  /** Runs `work` in a transaction (the caller's, when given) holding the account's billing lock. */
  underLock<T>(accountId: string, work: (tx: Tx) => Promise<T>, tx?: Tx): Promise<T> {
    return this.db.inTransaction(tx, async (locked) => {
      await this.lock(accountId, locked);
      return work(locked);
    });
  }

  /**
   * Runs `work` in a transaction (the caller's, when given) holding the billing lock of the
   * number's account (null: no such number).
   */
  underLockOfNumber<T>(numberId: string, work: (tx: Tx, accountId: string | null) => Promise<T>, tx?: Tx): Promise<T> {
    return this.db.inTransaction(tx, async (locked) => work(locked, await this.lockOfNumber(numberId, locked)));
  }

  byAccount(accountId: string, tx?: Tx): Promise<BillingAccount | undefined> {
    return (tx ?? this.db).selectFrom('billingAccounts').selectAll().where('accountId', '=', accountId).executeTakeFirst();
  }

  byCustomer(customerId: string, tx?: Tx): Promise<BillingAccount | undefined> {
    return (tx ?? this.db).selectFrom('billingAccounts').selectAll().where('stripeCustomerId', '=', customerId).executeTakeFirst();
  }

  bySubscription(subscriptionId: string, tx?: Tx): Promise<BillingAccount | undefined> {
    return (tx ?? this.db).selectFrom('billingAccounts').selectAll().where('stripeSubscriptionId', '=', subscriptionId).executeTakeFirst();
  }

  /**
   * Records what was last set at Stripe: the account's total quantity and, when given, the
   * subscription's status.
   */
  async recordSubscriptionState(accountId: string, quantity: number, subscriptionStatus: string | null = null, tx?: Tx): Promise<void> {
    await (tx ?? this.db)
      .updateTable('billingAccounts')
      .set((eb) => ({
        quantity,
        subscriptionStatus: eb.fn.coalesce(eb.val(subscriptionStatus), eb.ref('subscriptionStatus')),
        version: eb('version', '+', 1),
        updatedAt: sql`now()`,
      }))
      .where('accountId', '=', accountId)
      .execute();
  }

  /**
   * Claims the end of the subscription's trial for a number, before any Stripe call: `claimed`
   * when the number holds the claim (now, or from an earlier run of its own); else another number
   * holds it, a number's billing started on the subscription already, or a live quantity sync
   * holds the items (`syncHeldForMs`: how long until its claim is stale, `claimQuantitySync`). A
   * sync claim older than `syncClaimLimitMs` (its holder died) is taken over and cleared with the
   * same statement (`tookOverSync`: its job). The syncs that come after see the claim and wait for
   * its end (`recordFirstStart`).
   */
  claimTrialEnd(accountId: string, subscriptionId: string, numberId: string, syncClaimLimitMs: number): Promise<TrialEndClaim> {
    return this.underLock(accountId, async (tx) => {
      const limit = sql`make_interval(secs => ${syncClaimLimitMs / 1000})`;
      const sync = await tx
        .selectFrom('billingAccounts')
        .select((eb) => [
          'quantitySyncJobId',
          sql<number | null>`ceil(extract(epoch from (${eb.ref('quantitySyncClaimedAt')} + ${limit} - now())) * 1000)::int`.as('heldForMs'),
        ])
        .where('accountId', '=', accountId)
        .executeTakeFirst();
      const holder = sync?.quantitySyncJobId ?? null;
      const heldForMs = sync?.heldForMs ?? 0;
      if (holder !== null && heldForMs > 0) return { claimed: false, syncHeldForMs: heldForMs };
      const claimed = await tx
        .updateTable('billingAccounts')
        .set({ trialEndingNumberId: numberId, quantitySyncJobId: null, quantitySyncClaimedAt: null })
        .where('accountId', '=', accountId)
        .where('stripeSubscriptionId', '=', subscriptionId)
        .where((eb) => eb.or([eb('trialEndingNumberId', 'is', null), eb('trialEndingNumberId', '=', numberId)]))
        .where((eb) => (holder === null ? eb('quantitySyncJobId', 'is', null) : eb('quantitySyncJobId', '=', holder)))
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('ledgerEntries').select('id').where('subscriptionId', '=', subscriptionId).where('kind', '=', BILLING_STARTED))),
        )
        .returning('accountId')
        .executeTakeFirst();
      return claimed ? { claimed: true, tookOverSync: holder } : { claimed: false, syncHeldForMs: null };
    });
  }

  /**
   * Claims the setting of the account's subscription items at Stripe for the quantity sync
   * `jobId`, until `releaseQuantitySync`: the caller holds the account's lock in `tx` and has
   * read that no other live sync holds it (`AccountBillingState.quantitySyncJobId`). Returns the
   * claim's number (`quantity_sync_claim`): counted up unless `jobId` still holds the claim (a
   * retry of its job), so no other sync's call can have come between two claims of one number.
   */
  async claimQuantitySync(accountId: string, jobId: string, tx: Tx): Promise<number> {
    const { quantitySyncClaim } = await tx
      .updateTable('billingAccounts')
      .set((eb) => ({
        quantitySyncJobId: jobId,
        quantitySyncClaimedAt: sql`now()`,
        // The old holder, as the row was before this statement.
        quantitySyncClaim: eb.case().when('quantitySyncJobId', '=', jobId).then(eb.ref('quantitySyncClaim')).else(eb('quantitySyncClaim', '+', 1)).end(),
      }))
      .where('accountId', '=', accountId)
      .returning('quantitySyncClaim')
      .executeTakeFirstOrThrow();
    return quantitySyncClaim;
  }

  /** Stamps the sync `jobId`'s claim of the items anew (its holder is alive); false when it no longer holds it (taken over). */
  async renewQuantitySync(accountId: string, jobId: string): Promise<boolean> {
    const renewed = await this.db
      .updateTable('billingAccounts')
      .set({ quantitySyncClaimedAt: sql`now()` })
      .where('accountId', '=', accountId)
      .where('quantitySyncJobId', '=', jobId)
      .executeTakeFirst();
    return renewed.numUpdatedRows > 0n;
  }

  /** Lets go of the sync `jobId`'s claim of the items; false when it no longer held it (taken over). */
  async releaseQuantitySync(accountId: string, jobId: string, tx?: Tx): Promise<boolean> {
    const released = await (tx ?? this.db)
      .updateTable('billingAccounts')
      .set({ quantitySyncJobId: null, quantitySyncClaimedAt: null })
      .where('accountId', '=', accountId)
      .where('quantitySyncJobId', '=', jobId)
      .executeTakeFirst();
    return released.numUpdatedRows > 0n;
  }

  /** Records the quantity the first start of billing left at Stripe, and lets go of its claim of the trial's end. */
  async recordFirstStart(accountId: string, quantity: number, tx?: Tx): Promise<void> {
    await (tx ?? this.db)
      .updateTable('billingAccounts')
      .set((eb) => ({ quantity, trialEndingNumberId: null, version: eb('version', '+', 1), updatedAt: sql`now()` }))
      .where('accountId', '=', accountId)
      .execute();
  }

  async setSubscriptionStatus(accountId: string, subscriptionStatus: string, tx?: Tx): Promise<void> {
    await (tx ?? this.db)
      .updateTable('billingAccounts')
      .set((eb) => ({ subscriptionStatus, version: eb('version', '+', 1), updatedAt: sql`now()` }))
      .where('accountId', '=', accountId)
      .execute();
  }

  /** Stores a subscription as the account's; a customer already recorded stays. */
  async storeSubscription(accountId: string, subscription: StoredSubscription, tx?: Tx): Promise<void> {
    const fields = {
      stripeSubscriptionId: subscription.subscriptionId,
      stripeSubscriptionItemId: subscription.itemId,
      subscriptionStatus: subscription.status,
      quantity: subscription.quantity,
    };
    await (tx ?? this.db)
      .insertInto('billingAccounts')
      .values({ accountId, stripeCustomerId: subscription.customerId, ...fields })
      .onConflict((oc) =>
        oc.column('accountId').doUpdateSet((eb) => ({
          ...fields,
          stripeCustomerId: eb.fn.coalesce('billingAccounts.stripeCustomerId', 'excluded.stripeCustomerId'),
          version: eb('billingAccounts.version', '+', 1),
          updatedAt: sql`now()`,
        })),
      )
      .execute();
  }

  /**
   * Records the subscription Checkout made as the account's, by its ids, unless the account keeps
   * another live one (its status not one of `endedStatuses`). A subscription that replaces another is known by its ids alone until its status and items are
   * read from Stripe (`storeSubscription`); the same one again keeps what was read.
   */
  async recordCheckoutSubscription(accountId: string, customerId: string, subscriptionId: string, endedStatuses: readonly string[], tx?: Tx): Promise<void> {
    const same = sql<boolean>`billing_accounts.stripe_subscription_id = ${subscriptionId}`;
    await (tx ?? this.db)
      .insertInto('billingAccounts')
      .values({ accountId, stripeCustomerId: customerId, stripeSubscriptionId: subscriptionId })
      .onConflict((oc) =>
        oc
          .column('accountId')
          .doUpdateSet((eb) => ({
            stripeSubscriptionId: subscriptionId,
            stripeCustomerId: eb.fn.coalesce('billingAccounts.stripeCustomerId', 'excluded.stripeCustomerId'),
            stripeSubscriptionItemId: sql`CASE WHEN ${same} THEN billing_accounts.stripe_subscription_item_id END`,
            subscriptionStatus: sql`CASE WHEN ${same} THEN billing_accounts.subscription_status END`,
            version: eb('billingAccounts.version', '+', 1),
            updatedAt: sql`now()`,
          }))
          .where((eb) =>
            eb.or([
              eb('billingAccounts.stripeSubscriptionId', 'is', null),
              eb('billingAccounts.stripeSubscriptionId', '=', subscriptionId),
              sql<boolean>`coalesce(billing_accounts.subscription_status, '') = ANY(${[...endedStatuses]})`,
            ]),
          ),
      )
      .execute();
  }

  /**
   * The least recently compared accounts with a live subscription (its status not one of
   * `endedStatuses`), stamped as compared now; rows another run holds are skipped.
   */
  async claimForReconciliation(limit: number, endedStatuses: readonly string[]): Promise<string[]> {
    const rows = await this.db
      .updateTable('billingAccounts')
      .set({ reconciledAt: sql`now()` })
      .where('accountId', 'in', (eb) =>
        eb
          .selectFrom('billingAccounts')
          .select('accountId')
          .where('stripeSubscriptionId', 'is not', null)
          .where('stripeSubscriptionItemId', 'is not', null)
          .where(sql<boolean>`coalesce(subscription_status, '') <> ALL(${[...endedStatuses]})`)
          .orderBy('reconciledAt', (ob) => ob.asc().nullsFirst())
          .orderBy('accountId')
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      )
      .returning('accountId')
      .execute();
    return rows.map((r) => r.accountId).sort();
  }
}
