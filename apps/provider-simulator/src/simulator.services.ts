import { MetaCodeSms } from './meta/meta-code-sms.service';
import type { SimulatorLinks } from './shared/simulator-links';
import type { SimulatorState } from './state/simulator.state';
import { StripeBilling } from './stripe/billing/stripe-billing.service';
import { StripeCheckout } from './stripe/stripe-checkout.service';
import { StripeEvents } from './stripe/stripe-events';
import { TelnyxEvents } from './telnyx/telnyx-events';
import { TelnyxInboundMessages } from './telnyx/telnyx-inbound-messages.service';
import { TelnyxNumberOrders } from './telnyx/telnyx-number-orders.service';
import type { WebhookDispatcher } from './webhooks/webhook.dispatcher';

/** What the simulated providers do beyond storing records; every webhook leaves through `dispatcher`. */
export interface SimulatorServices {
  readonly dispatcher: WebhookDispatcher;
  readonly stripeEvents: StripeEvents;
  readonly billing: StripeBilling;
  readonly checkout: StripeCheckout;
  readonly telnyxEvents: TelnyxEvents;
  readonly numberOrders: TelnyxNumberOrders;
  readonly inboundMessages: TelnyxInboundMessages;
  readonly metaCodes: MetaCodeSms;
  /** Stops timers (order completions, delayed SMS). */
  close(): void;
}

export function createServices(state: SimulatorState, dispatcher: WebhookDispatcher, links: SimulatorLinks): SimulatorServices {
  const stripeEvents = new StripeEvents(state.stripeEvents, state.clock, dispatcher);
  const billing = new StripeBilling(state.stripe, state.stripeInvoices, state.payments);
  const checkout = new StripeCheckout(state.stripe, state.stripeCheckout, billing, state.payments, stripeEvents, links);
  const telnyxEvents = new TelnyxEvents(dispatcher);
  const numberOrders = new TelnyxNumberOrders(state.telnyxOrders, state.telnyxInventory, state.telnyx, telnyxEvents);
  const inboundMessages = new TelnyxInboundMessages(state.telnyx, state.telnyxMessages, telnyxEvents);
  const metaCodes = new MetaCodeSms(state.meta, inboundMessages);
  return {
    dispatcher,
    stripeEvents,
    billing,
    checkout,
    telnyxEvents,
    numberOrders,
    inboundMessages,
    metaCodes,
    close: () => {
      numberOrders.close();
      metaCodes.close();
    },
  };
}
