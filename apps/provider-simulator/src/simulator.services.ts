import { MetaCalling } from './meta/meta-calling.service';
import { MetaCodeSms } from './meta/meta-code-sms.service';
import type { SimulatorLinks } from './shared/simulator-links';
import type { SimulatorState } from './state/simulator.state';
import { StripeBilling } from './stripe/billing/stripe-billing.service';
import { StripeCreditNotes } from './stripe/billing/stripe-credit-notes.service';
import { StripeCheckout } from './stripe/stripe-checkout.service';
import { StripeEvents } from './stripe/stripe-events';
import { TelnyxCalls } from './telnyx/telnyx-calls.service';
import { TelnyxEvents } from './telnyx/telnyx-events';
import { TelnyxInboundMessages } from './telnyx/telnyx-inbound-messages.service';
import { TelnyxNumberOrders } from './telnyx/telnyx-number-orders.service';
import { TelnyxRequirementReviews } from './telnyx/telnyx-requirement-reviews.service';
import type { WebhookDispatcher } from './webhooks/webhook.dispatcher';

/** What the simulated providers do beyond storing records; every webhook leaves through `dispatcher`. */
export interface SimulatorServices {
  readonly dispatcher: WebhookDispatcher;
  readonly stripeEvents: StripeEvents;
  readonly billing: StripeBilling;
  readonly checkout: StripeCheckout;
  readonly creditNotes: StripeCreditNotes;
  readonly telnyxEvents: TelnyxEvents;
  readonly numberOrders: TelnyxNumberOrders;
  readonly inboundMessages: TelnyxInboundMessages;
  readonly requirementReviews: TelnyxRequirementReviews;
  readonly metaCodes: MetaCodeSms;
  /** WhatsApp calling: consumers, permission prompts and answers (Meta), calls dialed (Telnyx). */
  readonly metaCalling: MetaCalling;
  readonly telnyxCalls: TelnyxCalls;
  /** Stops timers (order completions, delayed SMS). */
  close(): void;
}

export function createServices(state: SimulatorState, dispatcher: WebhookDispatcher, links: SimulatorLinks): SimulatorServices {
  const stripeEvents = new StripeEvents(state.stripeEvents, state.clock, dispatcher);
  const billing = new StripeBilling(state.stripe, state.stripeInvoices, state.payments);
  const creditNotes = new StripeCreditNotes(state.stripe, state.stripeCreditNotes, billing);
  const checkout = new StripeCheckout(state.stripe, state.stripeCheckout, billing, state.payments, stripeEvents, links);
  const telnyxEvents = new TelnyxEvents(dispatcher);
  const numberOrders = new TelnyxNumberOrders(state.telnyxOrders, state.telnyxInventory, state.telnyx, telnyxEvents);
  const inboundMessages = new TelnyxInboundMessages(state.telnyx, state.telnyxMessages, telnyxEvents);
  const requirementReviews = new TelnyxRequirementReviews(state.telnyxRequirementGroups, telnyxEvents);
  const metaCodes = new MetaCodeSms(state.meta, inboundMessages);
  const metaCalling = new MetaCalling(state.meta, state.metaCalling, dispatcher);
  const telnyxCalls = new TelnyxCalls(state.telnyxCalls, metaCalling, dispatcher, links);
  return {
    dispatcher,
    stripeEvents,
    billing,
    checkout,
    creditNotes,
    telnyxEvents,
    numberOrders,
    inboundMessages,
    requirementReviews,
    metaCodes,
    metaCalling,
    telnyxCalls,
    close: () => {
      metaCalling.close();
      telnyxCalls.close();
      numberOrders.close();
      requirementReviews.close();
      metaCodes.close();
    },
  };
}
