import { Injectable } from '@nestjs/common';
import { ENDED_SUBSCRIPTION } from '@numbers/domain';
import { Prisma, type NumberType } from '@prisma/client';
import type { Db } from '../accounts/db';
import { PrismaService, type Tx } from '../prisma/prisma.service';

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
}

/** What the purchase rules decide on, read in the purchase's transaction after the account lock. */
export interface PurchaseStanding {
  /** Numbers of the account that are not `released` (what the plan limit counts). */
  liveNumbers: number;
  /** A number created since the given instant (excluding purchases undone for want of a checkout). */
  recentPurchase: boolean;
  /** A number waiting for its (first) Checkout to be paid. */
  checkoutPending: boolean;
  stripeCustomerId: string | null;
  stripeSubscriptionId: string | null;
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

export interface PurchaseIntentHit {
  numberId: string;
  phoneNumber: string | null;
}

/**
 * The reads and writes of a purchase (SPEC "Purchase"). Methods that take a transaction run in
 * it; `lockAccount` makes every purchase of one account run one at a time.
 */
@Injectable()
export class PurchaseRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * The account and its plan limit. With `lock`, `SELECT ... FOR UPDATE` on the account row:
   * concurrent purchases of the account wait here until this transaction ends, so the rules
   * that follow (intent, limit, velocity) see every earlier purchase committed.
   */
  async loadAccount(db: Db, accountId: string, options: { lock: boolean }): Promise<PurchasingAccount | null> {
    const rows = await db.$queryRaw<PurchasingAccount[]>`
      SELECT a.id, a.name, a.plan_code AS "planCode", p.max_numbers AS "maxNumbers"
      FROM accounts a
      JOIN plans p ON p.code = a.plan_code
      WHERE a.id = ${accountId}
      ${options.lock ? Prisma.sql`FOR UPDATE OF a` : Prisma.empty}`;
    return rows[0] ?? null;
  }

  /** The number an intent id of this account already bought, or null. */
  async findIntent(db: Db, accountId: string, intentId: string): Promise<PurchaseIntentHit | null> {
    const rows = await db.$queryRaw<PurchaseIntentHit[]>`
      SELECT n.id AS "numberId", n.phone_number AS "phoneNumber"
      FROM purchase_intents i
      JOIN phone_numbers n ON n.id = i.number_id
      WHERE i.account_id = ${accountId} AND i.intent_id = ${intentId}`;
    return rows[0] ?? null;
  }

  /** One round trip for the plan limit, velocity, pending checkout and subscription facts. */
  async standing(db: Db, accountId: string, recentSince: Date): Promise<PurchaseStanding> {
    const rows = await db.$queryRaw<PurchaseStanding[]>`
      SELECT
        (SELECT count(*)::int FROM phone_numbers
          WHERE account_id = ${accountId} AND status <> 'released') AS "liveNumbers",
        EXISTS (SELECT 1 FROM phone_numbers
          WHERE account_id = ${accountId} AND created_at >= ${recentSince}
            AND NOT (status = 'released' AND failure_reason IS NOT DISTINCT FROM ${CHECKOUT_NOT_CREATED_REASON})) AS "recentPurchase",
        EXISTS (SELECT 1 FROM phone_numbers
          WHERE account_id = ${accountId} AND status = 'pending_payment') AS "checkoutPending",
        b.stripe_customer_id AS "stripeCustomerId",
        -- An ended subscription takes no more numbers: the next one starts a new Checkout.
        CASE WHEN b.subscription_status IN (${Prisma.join(ENDED_SUBSCRIPTION)}) THEN NULL ELSE b.stripe_subscription_id END AS "stripeSubscriptionId"
      FROM (SELECT 1) AS one
      LEFT JOIN billing_accounts b ON b.account_id = ${accountId}`;
    return rows[0];
  }

  /** Whether a number that is not released already holds or waits for this E.164 number. */
  async isPhoneNumberHeld(db: Db, phoneNumber: string): Promise<boolean> {
    const held = await db.phoneNumber.findFirst({
      where: { phoneNumber, status: { not: 'released' } },
      select: { id: true },
    });
    return held !== null;
  }

  findCountry(code: string, tx?: Tx): Promise<PurchaseCountry | null> {
    return (tx ?? this.prisma).country.findUnique({
      where: { code },
      select: {
        code: true,
        tier: true,
        monthlyCents: true,
        needsKyc: true,
        available: true,
        defaultNumberType: true,
        kycRequirements: true,
      },
    });
  }

  async isProfileOf(accountId: string, profileId: string, tx?: Tx): Promise<boolean> {
    const profile = await (tx ?? this.prisma).profile.findFirst({ where: { id: profileId, accountId }, select: { id: true } });
    return profile !== null;
  }

  /**
   * Stores the account's Stripe customer, keeping one stored earlier (the same customer: it is
   * created with an idempotency key per account). Returns the stored id.
   */
  async saveStripeCustomer(accountId: string, customerId: string, tx?: Tx): Promise<string> {
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
  async recordCheckoutSession(numberId: string, sessionId: string, tx?: Tx): Promise<boolean> {
    const { count } = await (tx ?? this.prisma).phoneNumber.updateMany({
      where: { id: numberId, status: 'pending_payment', stripeCheckoutSessionId: null },
      data: { stripeCheckoutSessionId: sessionId },
    });
    return count === 1;
  }

  /** Frees an intent id whose purchase was undone, so a retry with it buys anew. */
  async forgetIntent(tx: Tx, accountId: string, numberId: string): Promise<void> {
    await tx.purchaseIntent.deleteMany({ where: { accountId, numberId } });
  }
}
