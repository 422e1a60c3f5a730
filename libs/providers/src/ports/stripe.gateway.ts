export type ProrationBehavior = 'create_prorations' | 'none' | 'always_invoice';

export interface CreateCustomerInput {
  /** Our account id; stored as the customer's `metadata.accountId`. */
  accountId: string;
  name: string;
  email?: string;
}

export interface CreateSubscriptionInput {
  customerId: string;
  accountId: string;
  quantity: number;
  /** The numbers price; the configured STRIPE_PRICE_ID when absent. */
  priceId?: string;
  metadata?: Record<string, string>;
}

export interface SetSubscriptionQuantityInput {
  subscriptionId: string;
  itemId: string;
  quantity: number;
  /** Stripe's default (`create_prorations`) when absent. */
  prorationBehavior?: ProrationBehavior;
}

export interface SubscriptionItemSnapshot {
  id: string;
  priceId: string;
  quantity: number;
}

/** A subscription as Stripe holds it now. */
export interface SubscriptionSnapshot {
  id: string;
  customerId: string;
  /** Stripe's status: `active`, `past_due`, `canceled`, `incomplete`, … */
  status: string;
  items: SubscriptionItemSnapshot[];
  /** Sum of the items' quantities. */
  quantity: number;
  metadata: Record<string, string>;
}

/**
 * Billing at Stripe. Every mutating call takes an idempotency key: the same key and the same
 * input make the change once. Failures are `ProviderError`s.
 */
export interface StripeGateway {
  createCustomer(input: CreateCustomerInput, idempotencyKey: string): Promise<{ customerId: string }>;
  createSubscription(input: CreateSubscriptionInput, idempotencyKey: string): Promise<SubscriptionSnapshot>;
  setSubscriptionQuantity(input: SetSubscriptionQuantityInput, idempotencyKey: string): Promise<SubscriptionSnapshot>;
  getSubscription(subscriptionId: string): Promise<SubscriptionSnapshot>;
  cancelSubscription(subscriptionId: string, idempotencyKey: string): Promise<SubscriptionSnapshot>;
}
