import { randomId } from '../shared/random-id';
import { unixSeconds } from '../shared/clock';

export type Metadata = Record<string, string>;

export interface CustomerRecord {
  id: string;
  created: number;
  name: string | null;
  email: string | null;
  description: string | null;
  metadata: Metadata;
}

export interface PriceRecord {
  id: string;
  created: number;
  productId: string;
  unitAmount: number;
  currency: string;
  interval: 'month';
}

export interface SubscriptionItemRecord {
  id: string;
  created: number;
  subscriptionId: string;
  priceId: string;
  quantity: number;
  metadata: Metadata;
}

export type SubscriptionStatus = 'active' | 'past_due' | 'unpaid' | 'canceled' | 'incomplete';

export interface SubscriptionRecord {
  id: string;
  created: number;
  customerId: string;
  status: SubscriptionStatus;
  metadata: Metadata;
  items: SubscriptionItemRecord[];
  currentPeriodStart: number;
  currentPeriodEnd: number;
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
const PERIOD_SECONDS = 30 * 24 * 60 * 60;

/** Stripe's side of the world: customers, prices, subscriptions and their items. */
export class StripeStore {
  private readonly customers = new Map<string, CustomerRecord>();
  private readonly prices = new Map<string, PriceRecord>();
  private readonly subscriptions = new Map<string, SubscriptionRecord>();
  private readonly itemIndex = new Map<string, string>();

  createCustomer(input: Pick<CustomerRecord, 'name' | 'email' | 'description' | 'metadata'>): CustomerRecord {
    const customer: CustomerRecord = { id: randomId('cus_'), created: unixSeconds(), ...input };
    this.customers.set(customer.id, customer);
    return customer;
  }

  getCustomer(id: string): CustomerRecord | undefined {
    return this.customers.get(id);
  }

  /** A price by id; any id names a monthly USD price, created on first use. */
  price(id: string): PriceRecord {
    let price = this.prices.get(id);
    if (!price) {
      price = {
        id,
        created: unixSeconds(),
        productId: `prod_${id.replace(/^price_/, '')}`,
        unitAmount: DEFAULT_UNIT_AMOUNT,
        currency: 'usd',
        interval: 'month',
      };
      this.prices.set(id, price);
    }
    return price;
  }

  createSubscription(input: { customerId: string; items: NewItem[]; metadata: Metadata }): SubscriptionRecord {
    const created = unixSeconds();
    const subscription: SubscriptionRecord = {
      id: randomId('sub_'),
      created,
      customerId: input.customerId,
      status: 'active',
      metadata: input.metadata,
      items: [],
      currentPeriodStart: created,
      currentPeriodEnd: created + PERIOD_SECONDS,
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
      created: unixSeconds(),
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

  cancel(subscription: SubscriptionRecord): void {
    const now = unixSeconds();
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
