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
  /** Unix seconds: a free trial until then (the first invoice is $0). */
  trialEnd?: number;
}

export interface CreateCheckoutSessionInput {
  /** The account's Stripe customer; Checkout creates one when absent. */
  customerId?: string;
  accountId: string;
  /** The number this first payment is for: the session's `client_reference_id` and `metadata.numberId`. */
  numberId: string;
  /** The numbers price; the configured STRIPE_PRICE_ID when absent. */
  priceId?: string;
  quantity: number;
  /** May contain `{CHECKOUT_SESSION_ID}`, which Stripe fills in. */
  successUrl: string;
  cancelUrl: string;
  /** Unix seconds, at least 48 hours ahead (Stripe's rule): the subscription starts with a free trial. */
  trialEnd?: number;
  /** Unix seconds, 30 minutes to 24 hours ahead; Stripe's default (24 hours) when absent. */
  expiresAt?: number;
  /** Extra session metadata; `accountId` and `numberId` are always set. */
  metadata?: Record<string, string>;
  /** Stripe's `custom_text` (at most 1200 characters each): `submit` beside the Pay button, `afterSubmit` after it. */
  customText?: { submit?: string; afterSubmit?: string };
}

/** A Checkout Session as Stripe holds it now. */
export interface CheckoutSessionSnapshot {
  id: string;
  /** The hosted page while `open`; null after. */
  url: string | null;
  /** `open`, `complete` or `expired`. */
  status: string;
  /** `unpaid`, `paid`, or `no_payment_required` (a trial: nothing charged yet). */
  paymentStatus: string;
  customerId: string | null;
  subscriptionId: string | null;
  clientReferenceId: string | null;
  metadata: Record<string, string>;
  expiresAt: number;
}

export interface InvoiceLineSnapshot {
  /** `il_…`: what a credit note line names. */
  id: string;
  /** Cents; negative for credit (unused time). */
  amount: number;
  proration: boolean;
  quantity: number | null;
  periodStart: number;
  periodEnd: number;
  description: string | null;
  /** The invoice item the line came from (`ii_…`), or null for a subscription item's period line. */
  invoiceItemId: string | null;
  /** The subscription item a period (or proration) line is for; null for an invoice item's line. */
  subscriptionItemId: string | null;
}

/** An invoice as Stripe holds it now. */
export interface InvoiceSnapshot {
  id: string;
  customerId: string;
  /** `draft`, `open`, `paid`, `void`, `uncollectible`. */
  status: string;
  /** `subscription_create`, `subscription_cycle`, `subscription_update`, … */
  billingReason: string | null;
  subscriptionId: string | null;
  currency: string;
  total: number;
  amountDue: number;
  amountPaid: number;
  /** How many times Stripe tried to charge it. */
  attemptCount: number;
  created: number;
  lines: InvoiceLineSnapshot[];
}

export interface CreateCreditNoteInput {
  /** A finalized invoice (open or paid). */
  invoiceId: string;
  /** Units of invoice lines to credit: `quantity` units of line `invoiceLineItemId` (`il_…`). */
  lines: { invoiceLineItemId: string; quantity: number; description?: string }[];
  /**
   * The part of the total to put on the customer's balance (the next invoices use it); Stripe
   * requires it to equal what is credited after payment. Null: nothing after payment (an open invoice).
   */
  creditAmountCents: number | null;
  memo: string;
  metadata: Record<string, string>;
}

/** A credit note as Stripe holds it now. */
export interface CreditNoteSnapshot {
  id: string;
  invoiceId: string;
  customerId: string;
  /** Cents, positive: what the credit note takes off. */
  total: number;
  /** Off what the invoice still asked (an open invoice), and after payment. */
  prePaymentAmount: number;
  postPaymentAmount: number;
  /** How much went to the customer's balance. */
  creditAmount: number;
  currency: string;
  status: string;
  created: number;
  metadata: Record<string, string>;
}

export interface SetSubscriptionQuantityInput {
  subscriptionId: string;
  itemId: string;
  quantity: number;
  /** Stripe's default (`create_prorations`) when absent. */
  prorationBehavior?: ProrationBehavior;
}

/** One change of a subscription's items: an item's new quantity, or a new item for a price. */
export type SubscriptionItemChange = { itemId: string; quantity: number } | { priceId: string; quantity: number };

export interface UpdateSubscriptionItemsInput {
  subscriptionId: string;
  items: SubscriptionItemChange[];
  /** Stripe's default (`create_prorations`) when absent. */
  prorationBehavior?: ProrationBehavior;
}

/** The monthly price of a phone number at one amount (`lookup_key` `number-monthly-<cents>`). */
export interface NumberPriceSnapshot {
  priceId: string;
  unitAmountCents: number;
  currency: string;
}

/** Numbers are sold in US dollars (`monthly_cents`): the currency of every number price. */
export const NUMBER_PRICE_CURRENCY = 'usd';

/** The lookup key of the monthly price of a number costing `cents` a month. */
export function numberPriceLookupKey(monthlyCents: number): string {
  return `number-monthly-${monthlyCents}`;
}

export interface SubscriptionItemSnapshot {
  id: string;
  priceId: string;
  quantity: number;
  /** The price of one unit per period, in cents; null for prices without one (tiered, decimal). */
  unitAmountCents: number | null;
  /** The price's currency, lower case (`usd`). */
  currency: string;
}

export interface CreateInvoiceItemInput {
  customerId: string;
  /** The subscription whose next invoice carries the item (Stripe leaves it pending until then). */
  subscriptionId: string;
  /** Cents; negative for a credit. */
  amountCents: number;
  /** Lower case, as Stripe's (`usd`). */
  currency: string;
  description: string;
  /** The service period the amount is for, unix seconds (shown on the invoice line). */
  periodStart: number;
  periodEnd: number;
  metadata: Record<string, string>;
}

/** An invoice item as Stripe holds it now. */
export interface InvoiceItemSnapshot {
  id: string;
  amountCents: number;
  currency: string;
  subscriptionId: string | null;
  /** Null while pending: the subscription's next invoice takes it. */
  invoiceId: string | null;
  periodStart: number;
  periodEnd: number;
  metadata: Record<string, string>;
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
  /** Unix seconds; null without a trial. */
  trialEnd: number | null;
  /** The current period (of the first item), unix seconds. */
  currentPeriodStart: number | null;
  currentPeriodEnd: number | null;
  latestInvoiceId: string | null;
}

/**
 * Billing at Stripe. Every mutating call takes an idempotency key: the same key and the same
 * input make the change once. Failures are `ProviderError`s.
 */
export interface StripeGateway {
  createCustomer(input: CreateCustomerInput, idempotencyKey: string): Promise<{ customerId: string }>;
  createSubscription(input: CreateSubscriptionInput, idempotencyKey: string): Promise<SubscriptionSnapshot>;
  setSubscriptionQuantity(input: SetSubscriptionQuantityInput, idempotencyKey: string): Promise<SubscriptionSnapshot>;
  /** Sets several items' quantities and adds items for new prices, in one subscription update. */
  updateSubscriptionItems(input: UpdateSubscriptionItemsInput, idempotencyKey: string): Promise<SubscriptionSnapshot>;
  /**
   * The monthly price of a number costing `monthlyCents`, found by its lookup key
   * (`numberPriceLookupKey`), created once when Stripe has none (`idempotencyKey` on the create).
   */
  numberPrice(monthlyCents: number, currency: string, idempotencyKey: string): Promise<NumberPriceSnapshot>;
  getSubscription(subscriptionId: string): Promise<SubscriptionSnapshot>;
  cancelSubscription(subscriptionId: string, idempotencyKey: string): Promise<SubscriptionSnapshot>;
  /** A subscription-mode Checkout Session for the first number; the customer pays on `url`. */
  createCheckoutSession(input: CreateCheckoutSessionInput, idempotencyKey: string): Promise<CheckoutSessionSnapshot>;
  getCheckoutSession(sessionId: string): Promise<CheckoutSessionSnapshot>;
  /**
   * Expires an open session so it can no longer be paid. Resolves also when the session was
   * no longer open: check `status` (`complete` means it was paid after all).
   */
  expireCheckoutSession(sessionId: string, idempotencyKey: string): Promise<CheckoutSessionSnapshot>;
  /** Ends a trial now (`trial_end: 'now'`): the first period starts and is invoiced and charged at once. */
  endTrial(subscriptionId: string, idempotencyKey: string): Promise<SubscriptionSnapshot>;
  /**
   * A one-off amount for the customer, left pending: Stripe adds it to the subscription's next
   * invoice (a renewal, a trial's end or an invoiced proration) as a line of its own.
   */
  createInvoiceItem(input: CreateInvoiceItemInput, idempotencyKey: string): Promise<InvoiceItemSnapshot>;
  /** Every invoice of a subscription or customer (at least one filter), newest first. */
  listInvoices(filter: { subscriptionId?: string; customerId?: string }): Promise<InvoiceSnapshot[]>;
  /** One invoice with all its lines. */
  getInvoice(invoiceId: string): Promise<InvoiceSnapshot>;
  /** Takes units of a finalized invoice's lines off it (`POST /v1/credit_notes`). */
  createCreditNote(input: CreateCreditNoteInput, idempotencyKey: string): Promise<CreditNoteSnapshot>;
  /** The credit notes of an invoice or a customer (at least one filter), newest first. */
  listCreditNotes(filter: { invoiceId?: string; customerId?: string }): Promise<CreditNoteSnapshot[]>;
}

/**
 * The idempotency key of expiring a number's Checkout Session at Stripe: the billing worker's
 * job and sweep, and the gateway undoing a purchase, expire it under one key.
 */
export function expireCheckoutKey(numberId: string): string {
  return `expire-checkout-${numberId}`;
}
