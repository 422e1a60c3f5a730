import { Injectable } from '@nestjs/common';
import { ENDED_SUBSCRIPTION } from '@numbers/domain';
import { Prisma, type NumberType } from '@prisma/client';
import { PrismaService, type SqlTx, type PrismaTx } from '../prisma/prisma.service';

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
 * it; `loadAccount` with `lock` makes every purchase of one account run one at a time. The reads
 * of the purchase are raw statements (`queryRows`): a Prisma model query costs about four times
 * the CPU of the same statement raw in a transaction, fifteen times through the pool (measured).
 */
@Injectable()
export class PurchaseRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * The account, its plan limit, and whether `profileId` is one of its profiles (folded in: one
   * round trip). With `lock`, `SELECT ... FOR UPDATE` on the account row: concurrent purchases of
   * the account wait here until this transaction ends, so the rules read after it (`standing`)
   * see every earlier purchase committed.
   */
  async loadAccount(accountId: string, profileId: string, options: { lock: boolean }, tx?: SqlTx): Promise<PurchasingAccount | null> {
    const rows = await this.prisma.queryRows<PurchasingAccount>(
      Prisma.sql`
        SELECT a.id, a.name, a.plan_code AS "planCode", p.max_numbers AS "maxNumbers",
          EXISTS (SELECT 1 FROM profiles pr WHERE pr.id = ${profileId} AND pr.account_id = a.id) AS "profileFound"
        FROM accounts a
        JOIN plans p ON p.code = a.plan_code
        WHERE a.id = ${accountId}
        ${options.lock ? Prisma.sql`FOR UPDATE OF a` : Prisma.empty}`,
      tx,
    );
    return rows[0] ?? null;
  }

  /**
   * One round trip for every fact the rules decide on after the account lock: the intent id
   * already used, the plan limit, velocity, a pending checkout, the subscription, and whether
   * the exact number is held. A statement of its own, after the lock's: only a statement that
   * starts once the lock is granted sees the purchases committed while it waited.
   */
  async standing(query: StandingQuery, tx?: SqlTx): Promise<PurchaseStanding> {
    const { accountId } = query;
    const [row] = await this.prisma.queryRows<Omit<PurchaseStanding, 'bought'> & { boughtNumberId: string | null; boughtPhoneNumber: string | null }>(
      Prisma.sql`
        SELECT
          i.number_id AS "boughtNumberId", i.phone_number AS "boughtPhoneNumber",
          (SELECT count(*)::int FROM phone_numbers
            WHERE account_id = ${accountId} AND status <> 'released') AS "liveNumbers",
          EXISTS (SELECT 1 FROM phone_numbers
            WHERE account_id = ${accountId} AND created_at >= ${query.recentSince}::timestamptz
              AND NOT (status = 'released' AND failure_reason IS NOT DISTINCT FROM ${CHECKOUT_NOT_CREATED_REASON})) AS "recentPurchase",
          EXISTS (SELECT 1 FROM phone_numbers
            WHERE account_id = ${accountId} AND status = 'pending_payment') AS "checkoutPending",
          EXISTS (SELECT 1 FROM phone_numbers
            WHERE phone_number = ${query.phoneNumber ?? null}::text AND status <> 'released') AS "phoneNumberHeld",
          b.stripe_customer_id AS "stripeCustomerId",
          -- An ended subscription takes no more numbers: the next one starts a new Checkout.
          CASE WHEN b.subscription_status IN (${Prisma.join(ENDED_SUBSCRIPTION)}) THEN NULL ELSE b.stripe_subscription_id END AS "stripeSubscriptionId"
        FROM (SELECT 1) AS one
        LEFT JOIN billing_accounts b ON b.account_id = ${accountId}
        LEFT JOIN (
          SELECT n.id AS number_id, n.phone_number
          FROM purchase_intents pi
          JOIN phone_numbers n ON n.id = pi.number_id
          WHERE pi.account_id = ${accountId} AND pi.intent_id = ${query.purchaseIntentId ?? null}::text
        ) i ON true`,
      tx,
    );
    const { boughtNumberId, boughtPhoneNumber, ...facts } = row;
    return { bought: boughtNumberId === null ? null : { numberId: boughtNumberId, phoneNumber: boughtPhoneNumber }, ...facts };
  }

  /** The country reference data a purchase is priced and checked by, or null when we do not sell there. */
  async findCountry(code: string, tx?: PrismaTx): Promise<PurchaseCountry | null> {
    const [country] = await this.prisma.queryRows<PurchaseCountry>(
      Prisma.sql`
        SELECT code, tier, monthly_cents AS "monthlyCents", needs_kyc AS "needsKyc", available,
          default_number_type::text AS "defaultNumberType", kyc_requirements AS "kycRequirements"
        FROM countries WHERE code = ${code}`,
      tx,
    );
    return country ?? null;
  }

  async isProfileOf(accountId: string, profileId: string, tx?: PrismaTx): Promise<boolean> {
    const rows = await this.prisma.queryRows<{ found: boolean }>(
      Prisma.sql`SELECT true AS found FROM profiles WHERE id = ${profileId} AND account_id = ${accountId}`,
      tx,
    );
    return rows.length > 0;
  }

  /**
   * Stores the account's Stripe customer, keeping one stored earlier (the same customer: it is
   * created with an idempotency key per account). Returns the stored id.
   */
  async saveStripeCustomer(accountId: string, customerId: string, tx?: PrismaTx): Promise<string> {
    const rows = await (tx ?? this.prisma).$queryRaw<{ stripeCustomerId: string }[]>`
      INSERT INTO billing_accounts (account_id, stripe_customer_id, updated_at)
      VALUES (${accountId}, ${customerId}, now())
      ON CONFLICT (account_id) DO UPDATE
        SET stripe_customer_id = COALESCE(billing_accounts.stripe_customer_id, EXCLUDED.stripe_customer_id),
            updated_at = now()
      RETURNING stripe_customer_id AS "stripeCustomerId"`;
    return rows[0].stripeCustomerId;
  }

  /**
   * Records the Checkout Session a number is paid through. Not a state change (no version
   * bump): the column is written once, by the purchase, and read by the billing worker. False
   * when the number is no longer waiting for it (a sweep undid the purchase meanwhile).
   */
  async recordCheckoutSession(numberId: string, sessionId: string, tx?: PrismaTx): Promise<boolean> {
    const { count } = await (tx ?? this.prisma).phoneNumber.updateMany({
      where: { id: numberId, status: 'pending_payment', stripeCheckoutSessionId: null },
      data: { stripeCheckoutSessionId: sessionId },
    });
    return count === 1;
  }

  /** Frees an intent id whose purchase was undone, so a retry with it buys anew. */
  async forgetIntent(tx: PrismaTx, accountId: string, numberId: string): Promise<void> {
    await tx.purchaseIntent.deleteMany({ where: { accountId, numberId } });
  }
}
