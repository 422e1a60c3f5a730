import { Inject, Injectable, Logger } from '@nestjs/common';
import { ledgerKeys, restOfPeriodCents, isEndedSubscription } from '@numbers/domain';
import { GiveUpError } from '@numbers/messaging';
import {
  BillingAccountRepository,
  BillingStateRepository,
  LedgerRepository,
  SubscriptionItemRepository,
  UNUSED_TIME_CREDITED,
  type LeavingNumber,
  type Tx,
} from '@numbers/persistence';
import { NUMBER_PRICE_CURRENCY, STRIPE_GATEWAY, type StripeGateway, type SubscriptionSnapshot } from '@numbers/providers';
import { billingHistoryOf, unix } from './account-billing';
import { adoptItems, billableOf, itemsInStep, setItemQuantities, totalQuantity } from './subscription-items';

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
    private readonly billingAccounts: BillingAccountRepository,
    private readonly state: BillingStateRepository,
    private readonly items: SubscriptionItemRepository,
    private readonly ledger: LedgerRepository,
    @Inject(STRIPE_GATEWAY) private readonly stripe: StripeGateway,
  ) {}

  converge(accountId: string, run: SyncRun): Promise<SyncOutcome> {
    return this.billingAccounts.underLock(accountId, (tx) => this.convergeIn(tx, accountId, run));
  }

  private async convergeIn(tx: Tx, accountId: string, run: SyncRun): Promise<SyncOutcome> {
    const log = { accountId, cause: run.cause, jobId: run.jobId };
    const billing = await this.state.syncState(accountId, tx);
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
    if (billing.trialEndingNumberId) {
      // The items hold that number alone until the trial has ended: its start restores them, and this runs again after it.
      throw new Error(`the trial of subscription ${billing.subscriptionId} is ending with number ${billing.trialEndingNumberId}: retried once it has`);
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
      if (subscription.items.length === 0) throw new GiveUpError(`subscription ${subscriptionId} has no items`);
      // What Stripe holds is what the update starts from (the reconciler: drift made elsewhere).
      if (run.observe === 'stripe' || items.length === 0) {
        items = await adoptItems(this.items, accountId, subscription, items, tx);
        previous = subscription.quantity;
      }
    }

    if (leaving.length === 0 && itemsInStep(items, target)) {
      // Stripe is right: our record follows it (a sync whose commit was lost, a status changed there).
      const status = subscription && subscription.status !== billing.subscriptionStatus ? subscription.status : null;
      if (billing.quantity !== quantity || status) await this.billingAccounts.recordSubscriptionState(accountId, quantity, status, tx);
      this.logger.log({ ...log, quantity }, 'subscription quantity already in step: nothing to sync');
      return { synced: false, reason: 'already_in_step', quantity };
    }
    const set = await setItemQuantities({ stripe: this.stripe, items: this.items }, { accountId, subscriptionId, items, target, keyBase: `${run.key}.` }, tx);
    if (set) subscription = set.subscription;
    if (leaving.length > 0 && subscription) await this.creditUnusedTime(tx, accountId, subscription, leaving);
    await this.billingAccounts.recordSubscriptionState(accountId, quantity, subscription?.status ?? null, tx);
    this.logger.log({ ...log, quantity, previous, prices: Object.fromEntries(target), credited: leaving.map((n) => n.id) }, 'subscription quantity synced');
    return leaving.length === 0 ? { synced: true, quantity, previous } : { synced: true, quantity, previous, credited: leaving.length };
  }

  /**
   * One unit from when each number left billing to the end of the current period, credited as a
   * negative invoice item the subscription's next invoice carries. The amount derives from stored
   * facts (when it left, Stripe's period and price), so a retry sends the same request under the
   * same key.
   */
  private async creditUnusedTime(tx: Tx, accountId: string, subscription: SubscriptionSnapshot, numbers: LeavingNumber[]): Promise<void> {
    const { currentPeriodStart: periodStart, currentPeriodEnd: periodEnd } = subscription;
    if (periodStart === null || periodEnd === null) {
      throw new GiveUpError(`subscription ${subscription.id}: no period to credit unused time in`);
    }
    const currency = subscription.items[0]?.currency ?? NUMBER_PRICE_CURRENCY;
    const history = billingHistoryOf(await this.state.billingDates(accountId, tx), numbers.map((n) => n.id));
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
        await this.ledger.record([{ ...common, amountCents: 0, stripeObjectType: 'subscription', stripeObjectId: subscription.id, description }], tx);
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
      await this.ledger.record(
        [
          {
            ...common,
            amountCents: credit.amountCents,
            stripeObjectType: 'invoice_item',
            stripeObjectId: credit.id,
            description: `unused time ${day(from)} → ${day(periodEnd)} credited (pending for the next invoice)`,
          },
        ],
        tx,
      );
    }
  }
}

function day(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().slice(0, 10);
}
