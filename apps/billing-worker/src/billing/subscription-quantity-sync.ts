import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import { jobRequest } from '@numbers/contracts';
import { ledgerKeys, restOfPeriodCents, isEndedSubscription } from '@numbers/domain';
import { GiveUpError } from '@numbers/messaging';
import {
  BillingAccountRepository,
  BillingStateRepository,
  LedgerRepository,
  OutboxRepository,
  SubscriptionItemRepository,
  UNUSED_TIME_CREDITED,
  type LeavingNumber,
  type NewLedgerEntry,
  type PriceItem,
  type Tx,
} from '@numbers/persistence';
import { NUMBER_PRICE_CURRENCY, STRIPE_GATEWAY, stripeCallLimitMs, type StripeGateway, type SubscriptionSnapshot } from '@numbers/providers';
import { billingHistoryOf, unix } from './account-billing';
import { adoptItems, billableOf, itemsInStep, setItemQuantities, totalQuantity, type PriceQuantities } from './subscription-items';

/**
 * `synced: false`: no quantity was set and nothing credited (no subscription, an ended one,
 * already in step, or another sync is setting the items and will see this run's change).
 * `previous`: the quantity believed to be at Stripe before (read from Stripe when the run
 * observes it, else the one last set); `ended`: Stripe says the subscription ended.
 */
export type SyncOutcome =
  | { synced: true; quantity: number; previous: number; credited?: number }
  | { synced: false; reason: string; quantity?: number; ended?: string };

export interface SyncRun {
  /** Prefix of the Stripe idempotency keys (the job id; the reconciler adds the account). */
  key: string;
  cause: string;
  /** Also the holder of the account's sync claim: a retry of the job takes its own claim again. */
  jobId: string;
  /**
   * `stored`: trust `billing_accounts.quantity` as Stripe's (the quantity sync, after a change of
   * ours); `stripe`: read the subscription at Stripe and compare with that (the reconciler,
   * looking for drift made elsewhere).
   */
  observe: 'stored' | 'stripe';
}

/** Beyond one Stripe call's longest: the holder's statements around its calls. */
const CLAIM_MARGIN_MS = 10_000;

/**
 * A claim of the items not stamped for longer than this is taken over: its sync died without
 * letting go. The holder stamps it again before each Stripe call (`renewingClaim`), so it is
 * older than one call can take only once no call of the holder's can still land.
 */
export function quantitySyncClaimLimitMs(config: AppConfig): number {
  return stripeCallLimitMs(config.stripe) + CLAIM_MARGIN_MS;
}

/** What a sync that claimed the items decided from, in its claiming transaction. */
interface SyncPlan {
  subscriptionId: string;
  /** `billing_accounts.quantity`: the total last set at Stripe. */
  stored: number;
  subscriptionStatus: string | null;
  items: PriceItem[];
  target: PriceQuantities;
  quantity: number;
  leaving: LeavingNumber[];
  /** Start from Stripe's subscription: the reconciler; items never recorded; a claim taken over (what its holder set is unknown). */
  observe: boolean;
  /** The claim's number (`claimQuantitySync`), in the idempotency key of the items' update. */
  claim: number;
}

/** What the Stripe calls left, to be recorded. */
type AtStripe =
  | { kind: 'ended'; status: string }
  | { kind: 'in_step'; subscription: SubscriptionSnapshot | null }
  | { kind: 'set'; subscription: SubscriptionSnapshot | null; previous: number; credits: NewLedgerEntry[] };

/**
 * Converges an account's Stripe subscription items to its billable numbers (`isBillable` in
 * @numbers/domain): one item per monthly price, each item's quantity the count of billable
 * numbers at that price (`setItemQuantities`). One implementation for `sync-subscription-quantity`
 * (after a number's billable state changed) and `reconcile-subscription-quantities` (drift).
 *
 * No transaction is open while Stripe is called, and yet two syncs of an account never set its
 * items at once: Stripe has no compare-and-set on a quantity, so a sync that read an older count
 * and called last would leave it wrong. So a sync first **claims** the items, in a short
 * transaction under the account's billing lock (`billing_accounts.quantity_sync_job_id`), then
 * calls Stripe with no transaction open, then, in another short transaction under the lock,
 * records what Stripe answered, lets go of the claim and, when the billable numbers changed
 * since it read them, queues another sync. A sync that finds the claim held leaves the account
 * to its holder (`sync_in_progress`): the change it was queued for committed before it looked,
 * so the holder sees it when it lets go. The holder stamps its claim anew before each Stripe call
 * and stops once it was taken over. A claim is taken again by a retry of its own job, and taken
 * over once not stamped for `quantitySyncClaimLimitMs` (its holder died: one Stripe call's
 * longest, from STRIPE_TIMEOUT_MS, and a margin), starting from Stripe's subscription. A failing sync lets go too (and queues another sync if numbers changed); its job
 * is retried. Chosen over a BullMQ group per account (not in open-source BullMQ) and over
 * trusting idempotency keys alone (a key replays an old answer without setting the quantity again).
 * For the same reason the items' key carries the claim's number (`<job>.c<claim>.q<target>`),
 * new for every claim but a retry's under the claim its job still holds: a retry after another
 * sync set the items (its claim let go or taken over) sets them again rather than replaying.
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
 * With nothing leaving and the quantity already in step, no Stripe call is made and nothing is
 * claimed (`stored`), or only the read (`stripe`).
 */
@Injectable()
export class SubscriptionQuantitySync {
  private readonly logger = new Logger(SubscriptionQuantitySync.name);
  private readonly claimLimitMs: number;

  constructor(
    private readonly billingAccounts: BillingAccountRepository,
    private readonly state: BillingStateRepository,
    private readonly items: SubscriptionItemRepository,
    private readonly ledger: LedgerRepository,
    private readonly outbox: OutboxRepository,
    @Inject(STRIPE_GATEWAY) private readonly stripe: StripeGateway,
    config: AppConfig,
  ) {
    this.claimLimitMs = quantitySyncClaimLimitMs(config);
  }

  async converge(accountId: string, run: SyncRun): Promise<SyncOutcome> {
    const plan = await this.billingAccounts.underLock(accountId, (tx) => this.claim(tx, accountId, run));
    if ('synced' in plan) return plan;
    try {
      const stripe = renewingClaim(this.stripe, async () => {
        if (!(await this.billingAccounts.renewQuantitySync(accountId, run.jobId))) {
          throw new Error(`the quantity sync of account ${accountId} was taken over from ${run.jobId}: retried`);
        }
      });
      const atStripe = await this.callStripe(stripe, accountId, plan, run);
      return await this.billingAccounts.underLock(accountId, (tx) => this.record(tx, accountId, plan, atStripe, run));
    } catch (error) {
      await this.billingAccounts.underLock(accountId, (tx) => this.letGo(tx, accountId, plan, run));
      throw error;
    }
  }

  /** Decides from the database alone, and claims the items when Stripe is to be called. */
  private async claim(tx: Tx, accountId: string, run: SyncRun): Promise<SyncPlan | SyncOutcome> {
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
    const holder = billing.quantitySyncJobId;
    const stale = billing.quantitySyncClaimedAt !== null && billing.quantitySyncClaimedAt.getTime() < Date.now() - this.claimLimitMs;
    if (holder !== null && holder !== run.jobId && !stale) {
      this.logger.log({ ...log, quantity, holder }, 'another sync is setting the subscription: left to it');
      return { synced: false, reason: 'sync_in_progress', quantity };
    }
    const { leaving, items } = billing;
    if (run.observe === 'stored' && leaving.length === 0 && items.length > 0 && itemsInStep(items, target)) {
      if (billing.quantity !== quantity) await this.billingAccounts.recordSubscriptionState(accountId, quantity, null, tx);
      this.logger.log({ ...log, quantity }, 'subscription quantity already in step: nothing to sync');
      return { synced: false, reason: 'already_in_step', quantity };
    }
    const claim = await this.billingAccounts.claimQuantitySync(accountId, run.jobId, tx);
    const tookOver = holder !== null && holder !== run.jobId;
    if (tookOver) this.logger.warn({ ...log, holder, claimedAt: billing.quantitySyncClaimedAt }, 'a stale quantity sync claim taken over');
    return {
      subscriptionId: billing.subscriptionId,
      stored: billing.quantity,
      subscriptionStatus: billing.subscriptionStatus,
      items,
      target,
      quantity,
      leaving,
      observe: run.observe === 'stripe' || items.length === 0 || tookOver,
      claim,
    };
  }

  /** The Stripe calls, with no transaction open (items Stripe answered are recorded by single statements). */
  private async callStripe(stripe: StripeGateway, accountId: string, plan: SyncPlan, run: SyncRun): Promise<AtStripe> {
    const { subscriptionId, target, leaving } = plan;
    let { items } = plan;
    let subscription: SubscriptionSnapshot | null = null;
    let previous = plan.stored;
    if (plan.observe || leaving.length > 0) {
      subscription = await stripe.getSubscription(subscriptionId);
      if (run.observe === 'stripe' && isEndedSubscription(subscription.status)) return { kind: 'ended', status: subscription.status };
      if (subscription.items.length === 0) throw new GiveUpError(`subscription ${subscriptionId} has no items`);
      // What Stripe holds is what the update starts from (the reconciler: drift made elsewhere).
      if (plan.observe) {
        items = await adoptItems(this.items, accountId, subscription, items);
        previous = subscription.quantity;
      }
    }
    if (leaving.length === 0 && itemsInStep(items, target)) return { kind: 'in_step', subscription };
    // A key per claim (see above): never the replay of an answer from before another sync's call.
    const keyBase = `${run.key}.c${plan.claim}.`;
    const set = await setItemQuantities({ stripe, items: this.items }, { accountId, subscriptionId, items, target, keyBase });
    if (set) subscription = set.subscription;
    const credits = leaving.length > 0 && subscription ? await this.creditUnusedTime(stripe, accountId, subscription, leaving) : [];
    return { kind: 'set', subscription, previous, credits };
  }

  /** Records what Stripe answered and lets go of the claim, in one transaction under the lock. */
  private async record(tx: Tx, accountId: string, plan: SyncPlan, atStripe: AtStripe, run: SyncRun): Promise<SyncOutcome> {
    const log = { accountId, cause: run.cause, jobId: run.jobId, quantity: plan.quantity };
    let outcome: SyncOutcome;
    switch (atStripe.kind) {
      case 'ended':
        outcome = { synced: false, reason: 'subscription_ended_at_stripe', quantity: plan.quantity, ended: atStripe.status };
        break;
      case 'in_step': {
        // Stripe is right: our record follows it (a sync whose commit was lost, a status changed there).
        const status = atStripe.subscription && atStripe.subscription.status !== plan.subscriptionStatus ? atStripe.subscription.status : null;
        if (plan.stored !== plan.quantity || status) await this.billingAccounts.recordSubscriptionState(accountId, plan.quantity, status, tx);
        this.logger.log(log, 'subscription quantity already in step: nothing to sync');
        outcome = { synced: false, reason: 'already_in_step', quantity: plan.quantity };
        break;
      }
      case 'set': {
        await this.ledger.record(atStripe.credits, tx);
        await this.billingAccounts.recordSubscriptionState(accountId, plan.quantity, atStripe.subscription?.status ?? null, tx);
        const credited = plan.leaving.map((n) => n.id);
        this.logger.log({ ...log, previous: atStripe.previous, prices: Object.fromEntries(plan.target), credited }, 'subscription quantity synced');
        outcome = { synced: true, quantity: plan.quantity, previous: atStripe.previous, ...(credited.length > 0 ? { credited: credited.length } : {}) };
        break;
      }
    }
    if (!(await this.letGo(tx, accountId, plan, run))) throw new Error(`the quantity sync of account ${accountId} was taken over from ${run.jobId}: retried`);
    return outcome;
  }

  /**
   * Lets go of the claim (false: it was taken over) and queues another sync when the billable
   * numbers changed since the claim: syncs that found it held left that change to this one.
   */
  private async letGo(tx: Tx, accountId: string, plan: SyncPlan, run: SyncRun): Promise<boolean> {
    const released = await this.billingAccounts.releaseQuantitySync(accountId, run.jobId, tx);
    const now = await this.state.syncState(accountId, tx);
    const target = billableOf(now.numbers);
    const changed =
      target.size !== plan.target.size ||
      [...target].some(([cents, count]) => plan.target.get(cents) !== count) ||
      now.leaving.some((n) => !plan.leaving.some((l) => l.id === n.id));
    if (changed) {
      await this.outbox.add(tx, [jobRequest('sync-subscription-quantity', { accountId, cause: `billable numbers changed while ${run.jobId} synced` })]);
    }
    return released;
  }

  /**
   * One unit from when each number left billing to the end of the current period, credited as a
   * negative invoice item the subscription's next invoice carries: the ledger rows to record. The
   * amount derives from stored facts (when it left, Stripe's period and price), so a retry sends
   * the same request under the same key.
   */
  private async creditUnusedTime(stripe: StripeGateway, accountId: string, subscription: SubscriptionSnapshot, numbers: LeavingNumber[]): Promise<NewLedgerEntry[]> {
    const { currentPeriodStart: periodStart, currentPeriodEnd: periodEnd } = subscription;
    if (periodStart === null || periodEnd === null) {
      throw new GiveUpError(`subscription ${subscription.id}: no period to credit unused time in`);
    }
    const currency = subscription.items[0]?.currency ?? NUMBER_PRICE_CURRENCY;
    const history = billingHistoryOf(await this.state.billingDates(accountId), numbers.map((n) => n.id));
    const now = unix(new Date());
    const entries: NewLedgerEntry[] = [];
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
        entries.push({ ...common, amountCents: 0, stripeObjectType: 'subscription', stripeObjectId: subscription.id, description: 'left billing at the end of the period: no unused time' });
        continue;
      }
      const credit = await stripe.createInvoiceItem(
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
      entries.push({
        ...common,
        amountCents: credit.amountCents,
        stripeObjectType: 'invoice_item',
        stripeObjectId: credit.id,
        description: `unused time ${day(from)} → ${day(periodEnd)} credited (pending for the next invoice)`,
      });
    }
    return entries;
  }
}

/** `stripe` whose every call first runs `renew` (which throws to stop the caller). */
function renewingClaim(stripe: StripeGateway, renew: () => Promise<void>): StripeGateway {
  return new Proxy(stripe, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        await renew();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

function day(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().slice(0, 10);
}
