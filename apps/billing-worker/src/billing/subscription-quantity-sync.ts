import { Inject, Injectable, Logger } from '@nestjs/common';
import { ledgerKeys, restOfPeriodCents, isEndedSubscription } from '@numbers/domain';
import { LedgerRepository, PrismaService, type SqlTx } from '@numbers/persistence';
import { NUMBER_PRICE_CURRENCY, STRIPE_GATEWAY, type StripeGateway, type SubscriptionSnapshot } from '@numbers/providers';
import { Prisma } from '@prisma/client';
import { UnrecoverableError } from 'bullmq';
import { BILLING_STARTED, NEVER_BILLABLE, UNUSED_TIME_CREDITED, billingHistoryOf, lockAccountBilling, recordSubscriptionState, unix } from './account-billing';
import {
  adoptItems,
  billableOf,
  itemsInStep,
  numberCountsJson,
  recordedItemsJson,
  setItemQuantities,
  totalQuantity,
  type NumberCount,
  type PriceItem,
} from './subscription-items';

/**
 * `synced: false`: no quantity was set and nothing credited (no subscription, an ended one, or
 * already in step). `previous`: the quantity believed to be at Stripe before (read from Stripe
 * when the run observes it, else the one last set); `ended`: Stripe says the subscription ended.
 */
export type SyncOutcome =
  | { synced: true; quantity: number; previous: number; credited?: number }
  | { synced: false; reason: string; quantity?: number; ended?: string };

export interface SyncRun {
  /** Prefix of the Stripe idempotency keys (the job id; the reconciler adds the account). */
  key: string;
  cause: string;
  jobId: string;
  /**
   * `stored`: trust `billing_accounts.quantity` as Stripe's (the quantity sync, after a change of
   * ours); `stripe`: read the subscription at Stripe and compare with that (the reconciler,
   * looking for drift made elsewhere).
   */
  observe: 'stored' | 'stripe';
}

/** A number whose billing started and that is no longer billable, not credited yet. */
interface LeavingNumber {
  id: string;
  phoneNumber: string | null;
  monthlyCents: number;
}

/** Everything a run decides from, read in one statement under the account's lock. */
interface AccountBillingState {
  subscriptionId: string | null;
  subscriptionStatus: string | null;
  /** The total quantity last set at Stripe. */
  quantity: number;
  numbers: NumberCount[];
  items: PriceItem[];
  leaving: LeavingNumber[];
}

/**
 * Converges an account's Stripe subscription items to its billable numbers (`isBillable` in
 * @numbers/domain): one item per monthly price, each item's quantity the count of billable
 * numbers at that price (`setItemQuantities`). One implementation for `sync-subscription-quantity` (after a
 * number's billable state changed) and `reconcile-subscription-quantities` (drift), in a
 * transaction of its own under the account's billing lock, so the count, the Stripe calls and the
 * writes never interleave with another billing change of the account.
 *
 * - The quantities are set with `proration_behavior: none`: adding or removing a slot of a number
 *   whose billing never started changes no money (docs/billing.md).
 * - A number whose billing started (a `charge` row) and that is no longer billable gets its
 *   unused time credited, once: a negative invoice item on the subscription for
 *   `restOfPeriodCents` of the number's own price from when it left (clamped to the current period) to the
 *   period's end, key `unused-time-<number>-<subscription>`, recorded as its `proration` row.
 *   Explicit rather than Stripe's `create_prorations`, so the ledger knows the exact amount and
 *   the object it moved through.
 *
 * With nothing leaving and the quantity already in step, no Stripe call is made (`stored`) or
 * only the read (`stripe`).
 */
@Injectable()
export class SubscriptionQuantitySync {
  private readonly logger = new Logger(SubscriptionQuantitySync.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly ledger: LedgerRepository,
    @Inject(STRIPE_GATEWAY) private readonly stripe: StripeGateway,
  ) {}

  converge(accountId: string, run: SyncRun): Promise<SyncOutcome> {
    return this.prisma.inSqlTransaction(
      (tx) => this.convergeIn(tx, accountId, run),
      // The transaction is idle while each Stripe call inside runs: allow for their timeouts.
      120_000,
    );
  }

  private async convergeIn(tx: SqlTx, accountId: string, run: SyncRun): Promise<SyncOutcome> {
    const log = { accountId, cause: run.cause, jobId: run.jobId };
    await lockAccountBilling(tx, accountId);
    const billing = await this.stateOf(tx, accountId);
    const target = billableOf(billing.numbers);
    const quantity = totalQuantity(target.values());
    if (!billing.subscriptionId) {
      this.logger.log({ ...log, quantity }, 'no subscription: nothing to sync');
      return { synced: false, reason: 'no_subscription', quantity };
    }
    if (isEndedSubscription(billing.subscriptionStatus)) {
      this.logger.log({ ...log, quantity }, `subscription ${billing.subscriptionStatus}: nothing to sync`);
      return { synced: false, reason: `subscription_${billing.subscriptionStatus}`, quantity };
    }
    const { subscriptionId, leaving } = billing;
    let items = billing.items;

    let subscription: SubscriptionSnapshot | null = null;
    let previous = billing.quantity;
    if (run.observe === 'stripe' || leaving.length > 0 || items.length === 0) {
      subscription = await this.stripe.getSubscription(subscriptionId);
      if (run.observe === 'stripe' && isEndedSubscription(subscription.status)) {
        return { synced: false, reason: 'subscription_ended_at_stripe', quantity, ended: subscription.status };
      }
      if (subscription.items.length === 0) throw new UnrecoverableError(`subscription ${subscriptionId} has no items`);
      // What Stripe holds is what the update starts from (the reconciler: drift made elsewhere).
      if (run.observe === 'stripe' || items.length === 0) {
        items = await adoptItems(tx, accountId, subscription, items);
        previous = subscription.quantity;
      }
    }

    if (leaving.length === 0 && itemsInStep(items, target)) {
      // Stripe is right: our record follows it (a sync whose commit was lost, a status changed there).
      const status = subscription && subscription.status !== billing.subscriptionStatus ? subscription.status : null;
      if (billing.quantity !== quantity || status) await recordSubscriptionState(tx, accountId, quantity, status);
      this.logger.log({ ...log, quantity }, 'subscription quantity already in step: nothing to sync');
      return { synced: false, reason: 'already_in_step', quantity };
    }
    const set = await setItemQuantities(tx, this.stripe, { accountId, subscriptionId, items, target, keyBase: `${run.key}.` });
    if (set) subscription = set.subscription;
    if (leaving.length > 0 && subscription) await this.creditUnusedTime(tx, accountId, subscription, leaving);
    await recordSubscriptionState(tx, accountId, quantity, subscription?.status);
    this.logger.log({ ...log, quantity, previous, prices: Object.fromEntries(target), credited: leaving.map((n) => n.id) }, 'subscription quantity synced');
    return leaving.length === 0 ? { synced: true, quantity, previous } : { synced: true, quantity, previous, credited: leaving.length };
  }

  /**
   * The account's subscription, its numbers counted per billable state and price, its recorded
   * items and the numbers leaving billing (`LeavingNumber`), in one statement: a run that finds
   * them in step makes no other.
   */
  private async stateOf(tx: SqlTx, accountId: string): Promise<AccountBillingState> {
    const subscriptionId = Prisma.sql`b.stripe_subscription_id`;
    const [state] = await this.prisma.queryRows<AccountBillingState>(
      Prisma.sql`
        SELECT b.stripe_subscription_id AS "subscriptionId", b.subscription_status AS "subscriptionStatus", coalesce(b.quantity, 0) AS quantity,
          ${numberCountsJson(accountId)} AS numbers,
          ${recordedItemsJson(subscriptionId)} AS items,
          (SELECT coalesce(json_agg(l ORDER BY l.id), '[]') FROM (
            SELECT p.id, p.phone_number AS "phoneNumber", p.monthly_cents AS "monthlyCents" FROM phone_numbers p
            WHERE p.account_id = ${accountId}
              AND p.status::text IN (${Prisma.join(NEVER_BILLABLE)})
              AND EXISTS (SELECT 1 FROM ledger_entries c
                          WHERE c.number_id = p.id AND c.subscription_id = ${subscriptionId} AND c.kind = ${BILLING_STARTED})
              AND NOT EXISTS (SELECT 1 FROM ledger_entries r
                              WHERE r.number_id = p.id AND r.subscription_id = ${subscriptionId} AND r.kind = ${UNUSED_TIME_CREDITED})
          ) l) AS leaving
        FROM (VALUES (1)) one LEFT JOIN billing_accounts b ON b.account_id = ${accountId}`,
      tx,
    );
    return state;
  }

  /**
   * One unit from when each number left billing to the end of the current period, credited as a
   * negative invoice item the subscription's next invoice carries. The amount derives from stored
   * facts (when it left, Stripe's period and price), so a retry sends the same request under the
   * same key.
   */
  private async creditUnusedTime(tx: SqlTx, accountId: string, subscription: SubscriptionSnapshot, numbers: LeavingNumber[]): Promise<void> {
    const { currentPeriodStart: periodStart, currentPeriodEnd: periodEnd } = subscription;
    if (periodStart === null || periodEnd === null) {
      throw new UnrecoverableError(`subscription ${subscription.id}: no period to credit unused time in`);
    }
    const currency = subscription.items[0]?.currency ?? NUMBER_PRICE_CURRENCY;
    const history = await billingHistoryOf(tx, accountId, numbers.map((n) => n.id));
    const now = unix(new Date());
    for (const number of numbers) {
      const numberId = number.id;
      const leftAt = history.find((h) => h.numberId === numberId)?.leftAt ?? now;
      const from = Math.min(Math.max(leftAt, periodStart), periodEnd);
      // The number's own price: what its unit of the period cost.
      const amountCents = restOfPeriodCents({ unitAmountCents: number.monthlyCents, periodStart, periodEnd, at: from });
      const label = `Phone number ${number.phoneNumber ?? '(no number)'} (${numberId})`;
      const common = {
        accountId,
        numberId,
        kind: UNUSED_TIME_CREDITED,
        currency,
        subscriptionId: subscription.id,
        entryKey: ledgerKeys.proration(subscription.id, numberId),
      };
      if (amountCents === 0) {
        const description = 'left billing at the end of the period: no unused time';
        await this.ledger.record(tx, [{ ...common, amountCents: 0, stripeObjectType: 'subscription', stripeObjectId: subscription.id, description }]);
        continue;
      }
      const credit = await this.stripe.createInvoiceItem(
        {
          customerId: subscription.customerId,
          subscriptionId: subscription.id,
          amountCents: -amountCents,
          currency,
          description: `${label}: unused time from release to the end of the period`,
          periodStart: from,
          periodEnd,
          metadata: { numberId, reason: 'unused_time' },
        },
        `unused-time-${numberId}-${subscription.id}`,
      );
      await this.ledger.record(tx, [
        {
          ...common,
          amountCents: credit.amountCents,
          stripeObjectType: 'invoice_item',
          stripeObjectId: credit.id,
          description: `unused time ${day(from)} → ${day(periodEnd)} credited (pending for the next invoice)`,
        },
      ]);
    }
  }
}

function day(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().slice(0, 10);
}
