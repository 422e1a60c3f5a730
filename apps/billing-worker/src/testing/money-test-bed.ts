import type { NumberStatus, WebhookEventRef } from '@numbers/contracts';
import { newId } from '@numbers/domain';
import type { HandlesWebhookEvent } from '@numbers/messaging';
import { BillingAccountRepository, BillingStateRepository, LedgerRepository, SubscriptionItemRepository, type Database } from '@numbers/persistence';
import type { StripeGateway, SubscriptionSnapshot } from '@numbers/providers';
import { createTestAccount, eventJob, storedEvent, type SimulatorProcess } from '@numbers/test-support';

/** The billing query modules, for a test bed's providers. */
export const BILLING_REPOSITORIES = [BillingAccountRepository, BillingStateRepository, SubscriptionItemRepository, LedgerRepository];

/** One number of a test account: its status and how it got there (history rows, as the lifecycle writes them). */
export interface TestNumber {
  status: NumberStatus;
  /** Paid for (entered provisioning): takes a slot. Default: every status past pending_payment. */
  paid?: boolean;
  /** Reached active at some point. Default: active and suspended. */
  activated?: boolean;
  /** Its country and monthly price (`monthly_cents`). Default: US, 300. */
  country?: string;
  monthlyCents?: number;
}

export interface TestAccount {
  accountId: string;
  customerId: string;
  subscriptionId: string;
  itemId: string;
  numbers: string[];
}

/** The parts of `GET /_sim/state` the money specs read. */
export interface MoneySimState {
  clock: { now: number };
  stripe: {
    customers: { id: string; balance: number }[];
    subscriptions: { id: string; status: string; quantity: number; currentPeriodStart: number; currentPeriodEnd: number }[];
    invoices: { id: string; subscription: string | null; billingReason: string; status: string; total: number; amountPaid: number; lines: { id: string; amount: number; quantity: number }[] }[];
    invoiceItems: { id: string; subscription: string | null; amount: number; invoice: string | null; metadata: Record<string, string> }[];
    creditNotes: { id: string; invoice: string; amount: number; creditAmount: number; lines: { invoiceLineItem: string | null; quantity: number | null; amount: number }[]; metadata: Record<string, string> }[];
  };
  requests: { stripe: { method: string; path: string; idempotencyKey: string | null; status: number; replayed: boolean }[] };
}

const BEFORE_ACTIVE: NumberStatus[] = ['pending_payment'];
/** The monthly price of a US number, and of the simulator's default price. */
const DEFAULT_CENTS = 300;

/**
 * An account as the purchase, Checkout and provisioning leave it: numbers in `numbers` with their
 * status history (paid an hour ago, active half an hour ago), and a subscription at Stripe (no
 * trial: its first period starts now, paid) with one item per price (the default price for 300
 * cents, always there) whose quantity is the billable count at that price, recorded in
 * `subscription_items`. `itemId` is the 300-cent item.
 */
export async function createMoneyAccount(db: Database, stripe: StripeGateway, numbers: TestNumber[]): Promise<TestAccount> {
  const { accountId, profileId } = await createTestAccount(db);
  const ids = numbers.map(() => newId());
  const hourAgo = new Date(Date.now() - 3600_000);
  const halfHourAgo = new Date(Date.now() - 1800_000);
  for (const [i, spec] of numbers.entries()) {
    const paid = spec.paid ?? !BEFORE_ACTIVE.includes(spec.status);
    const activated = spec.activated ?? (spec.status === 'active' || spec.status === 'suspended');
    await db
      .insertInto('phoneNumbers')
      .values({
        id: ids[i],
        accountId,
        profileId,
        country: spec.country ?? 'US',
        status: spec.status,
        paidFirst: true,
        phoneNumber: `+1555020${String(i).padStart(4, '0')}`,
        monthlyCents: spec.monthlyCents ?? DEFAULT_CENTS,
        activatedAt: activated ? halfHourAgo : null,
      })
      .execute();
    const history = [
      ...(paid ? [{ event: 'payment_confirmed', fromStatus: 'pending_payment' as const, toStatus: 'provisioning' as const, at: hourAgo }] : []),
      ...(activated ? [{ event: 'whatsapp_verified', fromStatus: 'verifying' as const, toStatus: 'active' as const, at: halfHourAgo }] : []),
      ...(spec.status === 'releasing' || spec.status === 'released' ? [{ event: 'release_requested', fromStatus: null, toStatus: 'releasing' as const, at: new Date() }] : []),
    ];
    for (const row of history) await db.insertInto('numberStatusHistory').values({ numberId: ids[i], actor: 'system', cause: 'test', ...row }).execute();
  }
  const billable = numbers.filter((n) => ['active', 'suspended', 'provisioning', 'pending_regulatory', 'regulatory_declined', 'verifying'].includes(n.status));
  const quantity = billable.length;
  // One item per price (the default price for 300 cents, a number price by lookup key for the others).
  const byPrice = new Map<number, number>([[DEFAULT_CENTS, 0]]);
  for (const n of billable) byPrice.set(n.monthlyCents ?? DEFAULT_CENTS, (byPrice.get(n.monthlyCents ?? DEFAULT_CENTS) ?? 0) + 1);
  const { customerId } = await stripe.createCustomer({ accountId, name: 'Acme' }, `cus-${accountId}`);
  let subscription = await stripe.createSubscription({ customerId, accountId, quantity: byPrice.get(DEFAULT_CENTS) ?? 0 }, `sub-${accountId}`);
  const others = [...byPrice].filter(([cents]) => cents !== DEFAULT_CENTS);
  if (others.length > 0) {
    const items = await Promise.all(
      others.map(async ([cents, count]) => ({ priceId: (await stripe.numberPrice(cents, 'usd', `number-price-${cents}`)).priceId, quantity: count })),
    );
    subscription = await stripe.updateSubscriptionItems({ subscriptionId: subscription.id, items, prorationBehavior: 'none' }, `sub-items-${accountId}`);
  }
  await recordSubscription(db, { accountId, customerId, subscription, quantity });
  for (const item of subscription.items) {
    await db
      .insertInto('subscriptionItems')
      .values({ accountId, subscriptionId: subscription.id, monthlyCents: item.unitAmountCents ?? DEFAULT_CENTS, priceId: item.priceId, itemId: item.id, quantity: item.quantity })
      .execute();
  }
  return { accountId, customerId, subscriptionId: subscription.id, itemId: subscription.items[0].id, numbers: ids };
}

/** The account's customer and subscription at Stripe as billing records them (`billing_accounts`, with the first item). */
export async function recordSubscription(
  db: Database,
  { accountId, customerId, subscription, quantity }: { accountId: string; customerId: string; subscription: SubscriptionSnapshot; quantity: number },
): Promise<void> {
  await db
    .insertInto('billingAccounts')
    .values({
      accountId,
      stripeCustomerId: customerId,
      stripeSubscriptionId: subscription.id,
      stripeSubscriptionItemId: subscription.items[0].id,
      subscriptionStatus: subscription.status,
      quantity,
    })
    .execute();
}

/** Runs a per-type handler on an event as the webhook processor does: in a transaction, with its cause. */
export function deliverStripeEvent(db: Database, handler: HandlesWebhookEvent<'stripe'>, ref: WebhookEventRef<'stripe'>) {
  return db.transaction().execute((tx) => handler.handle(storedEvent(ref), { tx, cause: `webhook:stripe:${ref.eventId}`, job: eventJob('process-stripe-event.1') }));
}

/** Moves the simulator clock to just past the subscription's current period: the renewal is invoiced. */
export async function renew(sim: SimulatorProcess, subscriptionId: string): Promise<void> {
  const state = await sim.get<MoneySimState>('/_sim/state');
  const subscription = state.stripe.subscriptions.find((s) => s.id === subscriptionId);
  if (!subscription) throw new Error(`no subscription ${subscriptionId}`);
  await sim.post('/_sim/clock/advance', { seconds: subscription.currentPeriodEnd - state.clock.now + 1 });
}
