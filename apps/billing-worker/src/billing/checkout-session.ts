import { isId } from '@numbers/domain';
import type { CheckoutSessionSnapshot } from '@numbers/providers';

/** What the billing worker reads from a Checkout Session object of a Stripe event. */
export interface CheckoutSessionFacts {
  sessionId: string | null;
  /** Our number id: `metadata.numberId`, else `client_reference_id`; null when not a number purchase. */
  numberId: string | null;
  customerId: string | null;
  subscriptionId: string | null;
  mode: string | null;
  paymentStatus: string | null;
}

export function checkoutSessionFacts(session: Record<string, unknown>): CheckoutSessionFacts {
  const metadata = isRecord(session['metadata']) ? session['metadata'] : {};
  const numberId = [metadata['numberId'], session['client_reference_id']].find(isId) ?? null;
  return {
    sessionId: stringOrNull(session['id']),
    numberId,
    customerId: idOf(session['customer']),
    subscriptionId: idOf(session['subscription']),
    mode: stringOrNull(session['mode']),
    paymentStatus: stringOrNull(session['payment_status']),
  };
}

/** The same facts of a session read from Stripe (`StripeGateway.getCheckoutSession`): ours are all subscription mode. */
export function checkoutSessionFactsOfSnapshot(session: CheckoutSessionSnapshot): CheckoutSessionFacts {
  return checkoutSessionFacts({
    id: session.id,
    metadata: session.metadata,
    client_reference_id: session.clientReferenceId,
    customer: session.customerId,
    subscription: session.subscriptionId,
    payment_status: session.paymentStatus,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** An id, or the id of an expanded object. */
function idOf(value: unknown): string | null {
  return isRecord(value) ? stringOrNull(value['id']) : stringOrNull(value);
}
