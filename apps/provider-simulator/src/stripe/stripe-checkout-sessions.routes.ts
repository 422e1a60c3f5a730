import type { FastifyInstance } from 'fastify';
import type { SimulatorContext } from '../simulator.context';
import { CUSTOM_TEXT_POSITIONS, type CheckoutCustomText, type CheckoutSessionRecord } from '../state/stripe-checkout.store';
import { invalidRequest, parameterInvalid, parameterMissing, resourceMissing } from './stripe-errors';
import {
  asParams,
  optionalInteger,
  optionalList,
  optionalMetadata,
  optionalString,
  requiredString,
  withoutEmptyValues,
  type StripeParams,
} from './stripe-params';
import { eventCause } from './stripe-request-cause';

type ById = { Params: { id: string } };

const MIN_EXPIRY = 30 * 60;
const MAX_EXPIRY = 24 * 60 * 60;
const MIN_TRIAL_END = 48 * 60 * 60;

/**
 * `POST /v1/checkout/sessions` (subscription mode), `GET /v1/checkout/sessions/:id`,
 * `POST /v1/checkout/sessions/:id/expire`. The session's `url` is the simulator's hosted page.
 */
export function registerStripeCheckoutSessionRoutes(app: FastifyInstance, { state, services }: SimulatorContext): void {
  const { checkout } = services;
  const find = (id: string): CheckoutSessionRecord => {
    const session = checkout.find(id);
    if (!session) throw resourceMissing('checkout.session', id, 'session');
    return session;
  };

  app.post('/checkout/sessions', async (request) => {
    const params = asParams(request.body);
    const now = state.stripe.clock.now();
    const mode = requiredString(params, 'mode');
    if (mode !== 'subscription') throw invalidRequest('The simulator supports Checkout in mode=subscription only.', 'mode');
    const customerId = optionalString(params, 'customer') ?? null;
    const customerEmail = optionalString(params, 'customer_email') ?? null;
    if (customerId && customerEmail) {
      throw invalidRequest('You may only specify one of these parameters: customer, customer_email.', 'customer_email');
    }
    if (customerId && !state.stripe.getCustomer(customerId)) throw resourceMissing('customer', customerId, 'customer');
    const lineItems = readLineItems(params);
    const expiresAt = optionalInteger(params, 'expires_at') ?? now + MAX_EXPIRY;
    if (expiresAt < now + MIN_EXPIRY || expiresAt > now + MAX_EXPIRY) {
      throw invalidRequest('The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.', 'expires_at');
    }
    const clientReferenceId = optionalString(params, 'client_reference_id') ?? null;
    if (clientReferenceId !== null && clientReferenceId.length > 200) {
      throw invalidRequest('client_reference_id must be at most 200 characters.', 'client_reference_id');
    }
    const session = checkout.create({
      expiresAt,
      mode: 'subscription',
      customerId,
      customerEmail,
      clientReferenceId,
      metadata: withoutEmptyValues(optionalMetadata(params) ?? {}),
      successUrl: optionalUrl(params, 'success_url'),
      cancelUrl: optionalUrl(params, 'cancel_url'),
      lineItems,
      subscriptionData: readSubscriptionData(params, now),
      customText: readCustomText(params),
    });
    return checkout.toObject(session);
  });

  app.get<ById>('/checkout/sessions/:id', async (request) => checkout.toObject(find(request.params.id)));

  app.post<ById>('/checkout/sessions/:id/expire', async (request) => {
    const session = find(request.params.id);
    if (!checkout.expire(session, eventCause(request))) {
      throw invalidRequest(`Only Checkout Sessions with a status in ["open"] can be expired. This session has a status of "${session.status}".`);
    }
    return checkout.toObject(session);
  });
}

function readLineItems(params: StripeParams): { priceId: string; quantity: number }[] {
  const items = optionalList(params, 'line_items');
  if (!items || items.length === 0) throw parameterMissing('line_items');
  return items.map((item, i) => {
    if (item.price_data !== undefined) throw invalidRequest('The simulator needs line_items[][price]; price_data is not supported.', `line_items[${i}][price_data]`);
    return {
      priceId: requiredString(item, 'price', `line_items[${i}][price]`),
      quantity: optionalInteger(item, 'quantity', `line_items[${i}][quantity]`, 1) ?? 1,
    };
  });
}

function readSubscriptionData(params: StripeParams, now: number) {
  const raw = params.subscription_data;
  if (raw !== undefined && (raw === null || typeof raw !== 'object' || Array.isArray(raw))) {
    throw parameterInvalid('subscription_data', 'Invalid object: subscription_data', 'parameter_invalid_object');
  }
  const data = (raw ?? {}) as StripeParams;
  const trialEnd = optionalInteger(data, 'trial_end', 'subscription_data[trial_end]') ?? null;
  const trialPeriodDays = optionalInteger(data, 'trial_period_days', 'subscription_data[trial_period_days]', 1) ?? null;
  if (trialEnd !== null && trialPeriodDays !== null) {
    throw invalidRequest(
      'You may only specify one of these parameters: subscription_data[trial_end], subscription_data[trial_period_days].',
      'subscription_data[trial_end]',
    );
  }
  if (trialEnd !== null && trialEnd < now + MIN_TRIAL_END) {
    throw invalidRequest('The `subscription_data[trial_end]` date must be at least 2 days in the future.', 'subscription_data[trial_end]');
  }
  const metadata = withoutEmptyValues(optionalMetadata(data, 'metadata') ?? {});
  return { metadata, trialEnd, trialPeriodDays };
}

/** `custom_text[<position>][message]`, as Stripe takes it: an object per position, a message of at most 1200 characters. */
function readCustomText(params: StripeParams): CheckoutCustomText {
  const raw = params.custom_text;
  const text: CheckoutCustomText = { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null };
  if (raw === undefined || raw === '') return text;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw parameterInvalid('custom_text', 'Invalid object: custom_text', 'parameter_invalid_object');
  for (const [position, value] of Object.entries(raw as StripeParams)) {
    if (!(CUSTOM_TEXT_POSITIONS as readonly string[]).includes(position)) throw invalidRequest(`Received unknown parameter: custom_text[${position}]`, `custom_text[${position}]`);
    if (value === '') continue; // Stripe's way to unset
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw parameterInvalid(`custom_text[${position}]`, `Invalid object: custom_text[${position}]`, 'parameter_invalid_object');
    }
    const message = requiredString(value as StripeParams, 'message', `custom_text[${position}][message]`);
    if (message.length > 1200) throw invalidRequest(`custom_text[${position}][message] must be at most 1200 characters.`, `custom_text[${position}][message]`);
    text[position as keyof CheckoutCustomText] = message;
  }
  return text;
}

function optionalUrl(params: StripeParams, name: string): string | null {
  const value = optionalString(params, name);
  if (value === undefined) return null;
  if (!URL.canParse(value)) throw invalidRequest('Not a valid URL', name);
  return value;
}
