import { randomId } from '../shared/random-id';
import type { Metadata } from './stripe.store';

export type CheckoutStatus = 'open' | 'complete' | 'expired';
export type CheckoutPaymentStatus = 'unpaid' | 'paid' | 'no_payment_required';

export interface CheckoutLineItem {
  priceId: string;
  quantity: number;
}

export interface CheckoutSessionRecord {
  id: string;
  created: number;
  expiresAt: number;
  mode: 'subscription';
  status: CheckoutStatus;
  paymentStatus: CheckoutPaymentStatus;
  customerId: string | null;
  customerEmail: string | null;
  clientReferenceId: string | null;
  metadata: Metadata;
  successUrl: string | null;
  cancelUrl: string | null;
  lineItems: CheckoutLineItem[];
  subscriptionData: { metadata: Metadata; trialEnd: number | null; trialPeriodDays: number | null };
  /** Stripe's `custom_text`: messages the hosted page shows beside its form (null: none). */
  customText: CheckoutCustomText;
  currency: string;
  /** What paying charges now: 0 with a trial. */
  amountTotal: number;
  subscriptionId: string | null;
  invoiceId: string | null;
  /** Why the last payment attempt failed (shown on the hosted page); null otherwise. */
  lastPaymentError: string | null;
}

/** Stripe's `custom_text` positions; each a message of at most 1200 characters, or null. */
export const CUSTOM_TEXT_POSITIONS = ['after_submit', 'shipping_address', 'submit', 'terms_of_service_acceptance'] as const;
export type CheckoutCustomText = Record<(typeof CUSTOM_TEXT_POSITIONS)[number], string | null>;

export type NewCheckoutSession = Omit<
  CheckoutSessionRecord,
  'id' | 'status' | 'paymentStatus' | 'subscriptionId' | 'invoiceId' | 'lastPaymentError'
>;

/** Stripe Checkout Sessions. */
export class StripeCheckoutStore {
  private readonly sessions = new Map<string, CheckoutSessionRecord>();

  create(input: NewCheckoutSession): CheckoutSessionRecord {
    const session: CheckoutSessionRecord = {
      id: randomId('cs_test_a1', 48),
      status: 'open',
      paymentStatus: 'unpaid',
      subscriptionId: null,
      invoiceId: null,
      lastPaymentError: null,
      ...input,
    };
    this.sessions.set(session.id, session);
    return session;
  }

  get(id: string): CheckoutSessionRecord | undefined {
    return this.sessions.get(id);
  }

  list(): CheckoutSessionRecord[] {
    return [...this.sessions.values()];
  }

  clear(): void {
    this.sessions.clear();
  }
}
