import { randomId } from '../shared/random-id';
import type { SimClock } from './sim-clock';

export type Metadata = Record<string, string>;

export interface CustomerRecord {
  id: string;
  created: number;
  name: string | null;
  email: string | null;
  description: string | null;
  metadata: Metadata;
  /** Cents; negative is credit the next invoices use up, as Stripe's customer balance. */
  balance: number;
  invoiceSequence: number;
}

export interface PriceRecord {
  id: string;
  created: number;
  productId: string;
  productName: string;
  unitAmount: number;
  currency: string;
  interval: 'month';
  /** Stripe's `lookup_key`: unique among prices; null when none was given. */
  lookupKey: string | null;
  metadata: Metadata;
}

export interface SubscriptionItemRecord {
  id: string;
  created: number;
  subscriptionId: string;
  priceId: string;
  quantity: number;
  metadata: Metadata;
}

export type SubscriptionStatus = 'trialing' | 'active' | 'past_due' | 'unpaid' | 'canceled' | 'incomplete';

export interface SubscriptionRecord {
  id: string;
  created: number;
  customerId: string;
  status: SubscriptionStatus;
  metadata: Metadata;
  items: SubscriptionItemRecord[];
  /** Periods renew on this instant's day of month (reset when a trial ends). */
  billingCycleAnchor: number;
  currentPeriodStart: number;
  currentPeriodEnd: number;
  trialStart: number | null;
  trialEnd: number | null;
  latestInvoiceId: string | null;
  cancelAtPeriodEnd: boolean;
  canceledAt: number | null;
  endedAt: number | null;
}

export interface NewItem {
  priceId: string;
  quantity: number;
  metadata?: Metadata;
}

/** Unit amount of a price the simulator has not been told about (cents per month). */
export const DEFAULT_UNIT_AMOUNT = 300;

/**
 * Stripe's side of the world: customers, prices, subscriptions and their items. Records only;
 * what happens to money (periods, trials, invoices) is `StripeBilling`'s.
 */
export class StripeStore {
  private readonly customers = new Map<string, CustomerRecord>();
  private readonly prices = new Map<string, PriceRecord>();
  private readonly subscriptions = new Map<string, SubscriptionRecord>();
  private readonly itemIndex = new Map<string, string>();

  constructor(readonly clock: SimClock) {}

  createCustomer(input: Pick<CustomerRecord, 'name' | 'email' | 'description' | 'metadata'>): CustomerRecord {
    const customer: CustomerRecord = { id: randomId('cus_'), created: this.clock.now(), balance: 0, invoiceSequence: 0, ...input };
    this.customers.set(customer.id, customer);
    return customer;
  }

  getCustomer(id: string): CustomerRecord | undefined {
    return this.customers.get(id);
  }

  /** Sets what a price costs (control API); later invoices use it. */
  definePrice(input: { id: string; unitAmount: number; currency?: string; productName?: string }): PriceRecord {
    const price = this.price(input.id);
    price.unitAmount = input.unitAmount;
    if (input.currency) price.currency = input.currency.toLowerCase();
    if (input.productName) price.productName = input.productName;
    return price;
  }

  /** A price by id; any id names a monthly USD price, created on first use. */
  price(id: string): PriceRecord {
    let price = this.prices.get(id);
    if (!price) {
      price = {
        id,
        created: this.clock.now(),
        productId: `prod_${id.replace(/^price_/, '')}`,
        productName: 'Phone number',
        unitAmount: DEFAULT_UNIT_AMOUNT,
        currency: 'usd',
        interval: 'month',
        lookupKey: null,
        metadata: {},
      };
      this.prices.set(id, price);
    }
    return price;
  }

  /** A new monthly price (`POST /v1/prices`); a taken `lookup_key` moves to it only with `transferLookupKey`. */
  createPrice(input: { unitAmount: number; currency: string; productName: string; lookupKey: string | null; metadata: Metadata }): PriceRecord {
    const id = randomId('price_');
    const price: PriceRecord = { id, created: this.clock.now(), productId: randomId('prod_'), interval: 'month', ...input };
    this.prices.set(id, price);
    return price;
  }

  /** A price that exists (created, defined or used), without creating one. */
  getPrice(id: string): PriceRecord | undefined {
    return this.prices.get(id);
  }

  listPrices(): PriceRecord[] {
    return [...this.prices.values()].reverse();
  }

  /** The price holding a lookup key, if any. */
  priceByLookupKey(lookupKey: string): PriceRecord | undefined {
    return [...this.prices.values()].find((price) => price.lookupKey === lookupKey);
  }

  /** A new subscription whose first period (or trial) starts now and ends at `periodEnd`. */
  createSubscription(input: {
    customerId: string;
    items: NewItem[];
    metadata: Metadata;
    periodEnd: number;
    trialEnd: number | null;
  }): SubscriptionRecord {
    const created = this.clock.now();
    const subscription: SubscriptionRecord = {
      id: randomId('sub_'),
      created,
      customerId: input.customerId,
      status: input.trialEnd === null ? 'active' : 'trialing',
      metadata: input.metadata,
      items: [],
      billingCycleAnchor: input.trialEnd ?? created,
      currentPeriodStart: created,
      currentPeriodEnd: input.periodEnd,
      trialStart: input.trialEnd === null ? null : created,
      trialEnd: input.trialEnd,
      latestInvoiceId: null,
      cancelAtPeriodEnd: false,
      canceledAt: null,
      endedAt: null,
    };
    this.subscriptions.set(subscription.id, subscription);
    for (const item of input.items) this.addItem(subscription, item);
    return subscription;
  }

  getSubscription(id: string): SubscriptionRecord | undefined {
    return this.subscriptions.get(id);
  }

  addItem(subscription: SubscriptionRecord, item: NewItem): SubscriptionItemRecord {
    this.price(item.priceId);
    const record: SubscriptionItemRecord = {
      id: randomId('si_'),
      created: this.clock.now(),
      subscriptionId: subscription.id,
      priceId: item.priceId,
      quantity: item.quantity,
      metadata: item.metadata ?? {},
    };
    subscription.items.push(record);
    this.itemIndex.set(record.id, subscription.id);
    return record;
  }

  removeItem(subscription: SubscriptionRecord, itemId: string): void {
    subscription.items = subscription.items.filter((item) => item.id !== itemId);
    this.itemIndex.delete(itemId);
  }

  getItem(id: string): SubscriptionItemRecord | undefined {
    const subscriptionId = this.itemIndex.get(id);
    return subscriptionId ? this.subscriptions.get(subscriptionId)?.items.find((item) => item.id === id) : undefined;
  }

  cancel(subscription: SubscriptionRecord, at = this.clock.now()): void {
    const now = at;
    subscription.status = 'canceled';
    subscription.canceledAt = now;
    subscription.endedAt = now;
  }

  listCustomers(): CustomerRecord[] {
    return [...this.customers.values()];
  }

  listSubscriptions(): SubscriptionRecord[] {
    return [...this.subscriptions.values()];
  }

  clear(): void {
    this.customers.clear();
    this.prices.clear();
    this.subscriptions.clear();
    this.itemIndex.clear();
  }
}

/** Merges Stripe-style metadata: an empty string removes a key. */
export function mergeMetadata(current: Metadata, update: Metadata): Metadata {
  const merged = { ...current };
  for (const [key, value] of Object.entries(update)) {
    if (value === '') delete merged[key];
    else merged[key] = value;
  }
  return merged;
}
