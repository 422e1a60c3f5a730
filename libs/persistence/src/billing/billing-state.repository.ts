import { Injectable } from '@nestjs/common';
import { NUMBER_STATUSES, type NumberStatus } from '@numbers/contracts';
import { isBillable, type LedgerKind } from '@numbers/domain';
import { sql } from 'kysely';
import { Database, type Tx } from '../database/database';
import type { PriceItem } from './subscription-item.repository';

/**
 * Ledger kinds that mark a number's billing at Stripe, one row per (subscription, number):
 * `charge` — billing started (the trial ended at its activation, or the rest of the period was
 * charged); `proration` — it left billing afterwards and its unused time was credited.
 */
export const BILLING_STARTED: LedgerKind = 'charge';
export const UNUSED_TIME_CREDITED: LedgerKind = 'proration';

/** States in which no number counts, whether paid first or not. */
export const NEVER_BILLABLE: NumberStatus[] = NUMBER_STATUSES.filter((s) => !isBillable(s, true) && !isBillable(s, false));

/** How many of an account's numbers are in one status, paid first or not, at one price. */
export interface NumberCount {
  status: NumberStatus;
  paidFirst: boolean;
  monthlyCents: number;
  count: number;
}

/** A number whose billing started and that is no longer billable, not credited yet. */
export interface LeavingNumber {
  id: string;
  phoneNumber: string | null;
  monthlyCents: number;
}

/** Everything a quantity sync decides from. */
export interface AccountBillingState {
  subscriptionId: string | null;
  subscriptionStatus: string | null;
  /** The number whose activation is ending the subscription's trial, while it does. */
  trialEndingNumberId: string | null;
  /** The quantity sync (its job id) setting the items at Stripe, while one does, and since when. */
  quantitySyncJobId: string | null;
  quantitySyncClaimedAt: Date | null;
  /** The total quantity last set at Stripe. */
  quantity: number;
  numbers: NumberCount[];
  items: PriceItem[];
  leaving: LeavingNumber[];
}

/** A number, its account's subscription and how far its billing went. */
export interface NumberToBill {
  id: string;
  accountId: string;
  status: NumberStatus;
  paidFirst: boolean;
  monthlyCents: number;
  phoneNumber: string | null;
  activatedAt: Date | null;
  subscriptionId: string | null;
  /** The number whose activation is ending the subscription's trial, while it does. */
  trialEndingNumberId: string | null;
  /** This number has a `charge` row on the subscription. */
  started: boolean;
  /** Some number has one: the trial's end is behind. */
  anyStarted: boolean;
  /** The subscription's items are recorded (`subscription_items`). */
  hasItems: boolean;
}

/** When a number was first paid for, first active, first leaving (from its status history). */
export interface NumberBillingDates {
  numberId: string;
  paidAt: Date | null;
  activeAt: Date | null;
  leftAt: Date | null;
}

/**
 * The account's numbers as billing reads them, joined with its subscription, items and ledger:
 * each hot job decides from one statement. These read phone_numbers themselves rather than
 * through PhoneNumberRecords or AccountNumberRecords: the counts and joins are billing's view,
 * and splitting them would cost a round trip per job (`numberCounts` is `syncState`'s count on
 * its own, kept beside it so the two cannot drift).
 */
@Injectable()
export class BillingStateRepository {
  constructor(private readonly db: Database) {}

  /** The account's `NumberCount`s. */
  numberCounts(accountId: string, tx?: Tx): Promise<NumberCount[]> {
    return (tx ?? this.db)
      .selectFrom('phoneNumbers')
      .select(['status', 'paidFirst', 'monthlyCents', sql<number>`count(*)::int`.as('count')])
      .where('accountId', '=', accountId)
      .groupBy(['status', 'paidFirst', 'monthlyCents'])
      .execute();
  }

  /**
   * The account's subscription, its numbers counted per billable state and price, its recorded
   * items and the numbers leaving billing (`LeavingNumber`), in one statement.
   */
  async syncState(accountId: string, tx?: Tx): Promise<AccountBillingState> {
    const { rows } = await sql<AccountBillingState>`
      SELECT b.stripe_subscription_id AS subscription_id, b.subscription_status, b.trial_ending_number_id,
        b.quantity_sync_job_id, b.quantity_sync_claimed_at, coalesce(b.quantity, 0) AS quantity,
        (SELECT coalesce(json_agg(n), '[]') FROM (
          SELECT status::text AS status, paid_first AS "paidFirst", monthly_cents AS "monthlyCents", count(*)::int AS count
          FROM phone_numbers WHERE account_id = ${accountId}
          GROUP BY status, paid_first, monthly_cents) n) AS numbers,
        (SELECT coalesce(json_agg(i ORDER BY i."monthlyCents"), '[]') FROM (
          SELECT monthly_cents AS "monthlyCents", price_id AS "priceId", item_id AS "itemId", quantity
          FROM subscription_items WHERE subscription_id = b.stripe_subscription_id) i) AS items,
        (SELECT coalesce(json_agg(l ORDER BY l.id), '[]') FROM (
          SELECT p.id, p.phone_number AS "phoneNumber", p.monthly_cents AS "monthlyCents" FROM phone_numbers p
          WHERE p.account_id = ${accountId}
            AND p.status::text = ANY(${NEVER_BILLABLE})
            AND EXISTS (SELECT 1 FROM ledger_entries c
                        WHERE c.number_id = p.id AND c.subscription_id = b.stripe_subscription_id AND c.kind = ${BILLING_STARTED})
            AND NOT EXISTS (SELECT 1 FROM ledger_entries r
                            WHERE r.number_id = p.id AND r.subscription_id = b.stripe_subscription_id AND r.kind = ${UNUSED_TIME_CREDITED})
        ) l) AS leaving
      FROM (VALUES (1)) one LEFT JOIN billing_accounts b ON b.account_id = ${accountId}`.execute(tx ?? this.db);
    return rows[0];
  }

  /** The number to start billing for, in one statement; undefined when there is no such number. */
  numberToBill(numberId: string, tx?: Tx): Promise<NumberToBill | undefined> {
    return (tx ?? this.db)
      .selectFrom('phoneNumbers as p')
      .leftJoin('billingAccounts as b', 'b.accountId', 'p.accountId')
      .select((eb) => [
        'p.id',
        'p.accountId',
        'p.status',
        'p.paidFirst',
        'p.monthlyCents',
        'p.phoneNumber',
        'p.activatedAt',
        'b.stripeSubscriptionId as subscriptionId',
        'b.trialEndingNumberId',
        eb
          .exists(
            eb
              .selectFrom('ledgerEntries as c')
              .select(sql`1`.as('one'))
              .whereRef('c.subscriptionId', '=', 'b.stripeSubscriptionId')
              .where('c.kind', '=', BILLING_STARTED)
              .whereRef('c.numberId', '=', 'p.id'),
          )
          .as('started'),
        eb
          .exists(eb.selectFrom('ledgerEntries as c').select(sql`1`.as('one')).whereRef('c.subscriptionId', '=', 'b.stripeSubscriptionId').where('c.kind', '=', BILLING_STARTED))
          .as('anyStarted'),
        eb.exists(eb.selectFrom('subscriptionItems as i').select(sql`1`.as('one')).whereRef('i.subscriptionId', '=', 'b.stripeSubscriptionId')).as('hasItems'),
      ])
      .where('p.id', '=', numberId)
      .$castTo<NumberToBill>()
      .executeTakeFirst();
  }

  /** Each of the account's numbers' first payment, first activation and first leaving, by id. */
  async billingDates(accountId: string, tx?: Tx): Promise<NumberBillingDates[]> {
    const { rows } = await sql<NumberBillingDates>`
      SELECT p.id AS number_id,
        min(h.at) FILTER (WHERE h.event = 'payment_confirmed') AS paid_at,
        min(h.at) FILTER (WHERE h.to_status = 'active') AS active_at,
        min(h.at) FILTER (WHERE h.to_status IN ('releasing', 'released')) AS left_at
      FROM phone_numbers p
      LEFT JOIN number_status_history h ON h.number_id = p.id AND h.applied
      WHERE p.account_id = ${accountId}
      GROUP BY p.id
      ORDER BY p.id`.execute(tx ?? this.db);
    return rows;
  }
}
