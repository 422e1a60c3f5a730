import { Inject, Logger } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import type { JobPayloads } from '@numbers/contracts';
import { isBillable, ledgerKeys, restOfPeriodCents } from '@numbers/domain';
import { DeferJob, GiveUpError, JobHandler, type HandlesJob, type JobContext } from '@numbers/messaging';
import { BILLING_STARTED, BillingAccountRepository, BillingStateRepository, LedgerRepository, SubscriptionItemRepository } from '@numbers/persistence';
import { STRIPE_GATEWAY, type StripeGateway, type SubscriptionSnapshot } from '@numbers/providers';
import { adoptItems, billableOf, itemOfPrice, setItemQuantities, totalQuantity, type PriceQuantities } from './subscription-items';
import { quantitySyncClaimLimitMs } from './subscription-quantity-sync';

/** The longest wait of a start deferred by a live quantity sync: most let go within a second. */
const SYNC_WAIT_MAX_MS = 5_000;

export type StartBillingOutcome =
  | { started: true; how: 'trial_ended' | 'paid_at_subscription_start'; invoiceId: string | null; amountCents: number }
  | { started: true; how: 'rest_of_period_invoiced'; invoiceItemId: string; amountCents: number }
  | { started: false; reason: string };

interface TrialCharge {
  how: 'trial_ended' | 'paid_at_subscription_start';
  subscription: SubscriptionSnapshot;
}

/**
 * Billing for a number starts when it becomes `active` (docs/billing.md):
 * - the account's first number to start billing ends the subscription's trial (`trial_end: now`):
 *   the first period is invoiced from now, for that number alone at its own price (its price's
 *   item holds 1 and every other item 0 while the trial ends; slots of numbers still being
 *   provisioned are not charged with it), then every price's item goes back to the account's
 *   billable count at that price with `proration_behavior: none`;
 * - every later number already has its slot in the quantity (added without proration when it was
 *   bought), so it is charged the rest of the current period from its activation as Stripe would
 *   prorate it (`restOfPeriodCents` of the number's own `monthly_cents`): an invoice item on the
 *   subscription, key `start-billing-<numberId>.invoice-item`, left pending for the next invoice.
 *   Two Stripe calls (the subscription, the item); the quantity is not touched. The period is the
 *   one the activation fell in: a number that became active before a renewal whose job runs after
 *   it is charged the rest of the old period (the renewal charged the new one), read from the
 *   subscription's invoices (a third call, only then).
 *
 * No transaction is open while Stripe is called: the number is read, Stripe is called with keys
 * derived from the number (`start-billing-<numberId>.…`), and the result is recorded in a short
 * transaction under the account's billing lock (shared with the quantity sync and the invoice
 * webhooks). Idempotent by number: a `charge` ledger row per (subscription, number), unique by
 * its key, so two runs at once record one. The first start claims the trial's end on the account
 * (`trial_ending_number_id`) before its calls and lets go of it with its `charge` row: another
 * number's start, a quantity sync and the invoice webhooks of the subscription wait for it (they
 * fail to be retried) instead of changing the items while the trial ends with one of them alone.
 * A first start that finds a quantity sync setting the items is deferred (no attempt spent) until
 * the sync lets go; a sync's claim left by a dead worker (`quantitySyncClaimLimitMs`) is taken
 * over, and the items start from Stripe's, as that sync may have set them.
 * The item's amount and period derive from the stored activation time, so a retry after a crash
 * between the Stripe call and the record sends the same request under the same key and gets the
 * same item back. A number that left billing before this ran (released right after activation)
 * is not charged.
 */
@JobHandler('start-billing')
export class StartBillingHandler implements HandlesJob<'start-billing'> {
  private readonly logger = new Logger(StartBillingHandler.name);
  private readonly syncClaimLimitMs: number;

  constructor(
    private readonly billingAccounts: BillingAccountRepository,
    private readonly state: BillingStateRepository,
    private readonly items: SubscriptionItemRepository,
    private readonly ledger: LedgerRepository,
    @Inject(STRIPE_GATEWAY) private readonly stripe: StripeGateway,
    config: AppConfig,
  ) {
    this.syncClaimLimitMs = quantitySyncClaimLimitMs(config);
  }

  async handle({ numberId }: JobPayloads['start-billing'], ctx: JobContext): Promise<StartBillingOutcome> {
    const number = await this.state.numberToBill(numberId);
    if (!number) throw new GiveUpError(`number ${numberId} does not exist`);
    const activatedAt = number.activatedAt;
    if (!activatedAt) return this.skip(numberId, ctx, 'the number never became active');
    if (!isBillable(number.status, number.paidFirst)) return this.skip(numberId, ctx, `the number is ${number.status}`);
    if (!number.subscriptionId) throw new GiveUpError(`account ${number.accountId} of active number ${numberId} has no subscription`);
    const subscriptionId = number.subscriptionId;
    if (number.started) return this.skip(numberId, ctx, 'billing started already');
    if (!number.anyStarted && number.trialEndingNumberId !== null && number.trialEndingNumberId !== numberId) {
      throw new Error(`the trial of subscription ${subscriptionId} is ending with number ${number.trialEndingNumberId}: retried once it has`);
    }

    let subscription = await this.stripe.getSubscription(subscriptionId);
    if (subscription.items.length === 0) throw new GiveUpError(`subscription ${subscriptionId} has no items`);
    // Items never recorded (a subscription from before items per price) are recorded as Stripe's.
    const adopted = number.hasItems ? null : await adoptItems(this.items, number.accountId, subscription, []);
    const currency = subscription.items[0].currency;
    const key = `start-billing-${numberId}`;
    if (number.anyStarted) return this.invoiceRestOfPeriod({ ...number, activatedAt }, subscription, currency, key, ctx);

    const claim = await this.billingAccounts.claimTrialEnd(number.accountId, subscriptionId, numberId, this.syncClaimLimitMs);
    if (!claim.claimed && claim.syncHeldForMs !== null) {
      throw new DeferJob(Math.min(claim.syncHeldForMs, SYNC_WAIT_MAX_MS), `a quantity sync holds the items of subscription ${subscriptionId}: deferred until it lets go`);
    }
    if (!claim.claimed) throw new Error(`the trial of subscription ${subscriptionId} is ending with another number or ended: retried`);
    let items = adopted ?? (await this.items.recorded(subscriptionId));
    if (claim.tookOverSync !== null) {
      // What the dead sync set at Stripe is unknown: the items start from Stripe's.
      this.logger.warn({ numberId, accountId: number.accountId, holder: claim.tookOverSync, jobId: ctx.jobId }, 'a stale quantity sync claim taken over');
      subscription = await this.stripe.getSubscription(subscriptionId);
      items = await adoptItems(this.items, number.accountId, subscription, items);
    }
    const deps = { stripe: this.stripe, items: this.items };
    let charge: TrialCharge;
    if (subscription.status === 'trialing') {
      // The trial ends with this number alone in the quantity: the first period charges its price, once.
      const alone: PriceQuantities = new Map([[number.monthlyCents, 1]]);
      const set = await setItemQuantities(deps, { accountId: number.accountId, subscriptionId, items, target: alone, keyBase: `${key}.trial-` });
      if (set) items = set.items;
      charge = { how: 'trial_ended', subscription: await this.stripe.endTrial(subscriptionId, `${key}.end-trial`) };
    } else {
      // The first start after a trial that already ended (an earlier run of this job ended it and
      // stopped before its record) or a subscription that never had one: its period is paid.
      charge = { how: 'paid_at_subscription_start', subscription };
    }
    const itemId = itemOfPrice(items, number.monthlyCents)?.itemId ?? null;

    const billable = billableOf(await this.state.numberCounts(number.accountId));
    await setItemQuantities(deps, { accountId: number.accountId, subscriptionId, items, target: billable, keyBase: `${key}.` });

    const invoiceId = charge.how === 'paid_at_subscription_start' ? null : charge.subscription.latestInvoiceId;
    const amountCents = invoiceId ? await this.firstPeriodCharge(invoiceId, itemId) : 0;
    await this.billingAccounts.underLock(number.accountId, async (tx) => {
      await this.billingAccounts.recordFirstStart(number.accountId, totalQuantity(billable.values()), tx);
      await this.ledger.record(
        [
          {
            accountId: number.accountId,
            numberId,
            kind: BILLING_STARTED,
            amountCents,
            currency,
            stripeObjectType: invoiceId ? 'invoice' : 'subscription',
            stripeObjectId: invoiceId ?? subscriptionId,
            subscriptionId,
            invoiceId,
            entryKey: ledgerKeys.charge(subscriptionId, numberId),
            description: describe(charge.how, invoiceId),
          },
        ],
        tx,
      );
    });
    this.logger.log({ numberId, accountId: number.accountId, how: charge.how, invoiceId, amountCents, jobId: ctx.jobId }, 'billing started');
    return { started: true, how: charge.how, invoiceId, amountCents };
  }

  /**
   * One unit from the number's activation to the end of the current period, as an invoice item
   * the subscription's next invoice carries. Everything in the request derives from stored facts
   * (the activation time, Stripe's period and price), so a retry repeats it exactly and the key
   * answers the same item; should the period have moved on in between, Stripe refuses the key
   * (an idempotency error fails the job for an operator) instead of charging twice.
   */
  private async invoiceRestOfPeriod(
    number: { id: string; accountId: string; phoneNumber: string | null; monthlyCents: number; activatedAt: Date },
    subscription: SubscriptionSnapshot,
    currency: string,
    key: string,
    ctx: JobContext,
  ): Promise<StartBillingOutcome> {
    if (subscription.currentPeriodStart === null || subscription.currentPeriodEnd === null) throw new GiveUpError(`subscription ${subscription.id} has no current period`);
    const at = unixSeconds(number.activatedAt);
    const { start: periodStart, end: periodEnd } =
      at < subscription.currentPeriodStart
        ? ((await this.periodContaining(subscription.id, at)) ?? { start: subscription.currentPeriodStart, end: subscription.currentPeriodEnd })
        : { start: subscription.currentPeriodStart, end: subscription.currentPeriodEnd };
    // The number's own price: one unit of it from activation, as Stripe would prorate it.
    const amountCents = restOfPeriodCents({ unitAmountCents: number.monthlyCents, periodStart, periodEnd, at });
    const invoiceItem = await this.stripe.createInvoiceItem(
      {
        customerId: subscription.customerId,
        subscriptionId: subscription.id,
        amountCents,
        currency,
        description: `Phone number ${number.phoneNumber ?? '(no number)'} (${number.id}): rest of the current period from activation`,
        periodStart: Math.min(Math.max(at, periodStart), periodEnd),
        periodEnd,
        metadata: { numberId: number.id },
      },
      `${key}.invoice-item`,
    );
    // Made at Stripe by an earlier run that died before its record, and already on an invoice whose
    // webhook recorded it as a line Numbers did not make: it is this charge. Under the lock, so an
    // invoice webhook reading the account's rows sees it or none of it.
    await this.billingAccounts.underLock(number.accountId, (tx) => this.ledger.recordInPlaceOfAdjustment(
      {
        accountId: number.accountId,
        numberId: number.id,
        kind: BILLING_STARTED,
        amountCents: invoiceItem.amountCents,
        currency: invoiceItem.currency,
        stripeObjectType: 'invoice_item',
        stripeObjectId: invoiceItem.id,
        subscriptionId: subscription.id,
        invoiceId: null,
        entryKey: ledgerKeys.charge(subscription.id, number.id),
        description: `rest of the period from activation (${day(Math.max(at, periodStart))} → ${day(periodEnd)}), pending for the next invoice`,
      },
      tx,
    ));
    this.logger.log(
      { numberId: number.id, accountId: number.accountId, how: 'rest_of_period_invoiced', invoiceItemId: invoiceItem.id, amountCents: invoiceItem.amountCents, jobId: ctx.jobId },
      'billing started',
    );
    return { started: true, how: 'rest_of_period_invoiced', invoiceItemId: invoiceItem.id, amountCents: invoiceItem.amountCents };
  }

  /** What the trial's end charged for the number: its price's item's period line of that invoice (quantity 1). */
  private async firstPeriodCharge(invoiceId: string, itemId: string | null): Promise<number> {
    const invoice = await this.stripe.getInvoice(invoiceId);
    const line = invoice.lines.find((l) => l.subscriptionItemId === itemId && !l.proration && !l.invoiceItemId);
    return line?.amount ?? invoice.total;
  }

  /** An earlier period of the subscription that `at` falls in, from its invoices' period lines. */
  private async periodContaining(subscriptionId: string, at: number): Promise<{ start: number; end: number } | null> {
    const invoices = await this.stripe.listInvoices({ subscriptionId });
    // Every item of a subscription shares its periods: any item's period line tells the period.
    const line = invoices
      .flatMap((invoice) => invoice.lines)
      .find((l) => l.subscriptionItemId !== null && !l.proration && !l.invoiceItemId && l.amount > 0 && l.periodStart <= at && at < l.periodEnd);
    return line ? { start: line.periodStart, end: line.periodEnd } : null;
  }

  private skip(numberId: string, ctx: JobContext, reason: string): StartBillingOutcome {
    this.logger.log({ numberId, jobId: ctx.jobId }, `billing not started: ${reason}`);
    return { started: false, reason };
  }
}

function describe(how: TrialCharge['how'], invoiceId: string | null): string {
  switch (how) {
    case 'trial_ended':
      return `trial ended at activation; first period invoiced (${invoiceId})`;
    case 'paid_at_subscription_start':
      return 'the subscription was not trialing: its period was paid when it started';
  }
}

function unixSeconds(at: Date): number {
  return Math.floor(at.getTime() / 1000);
}

function day(unix: number): string {
  return new Date(unix * 1000).toISOString().slice(0, 10);
}
