/** Inject the ports with these: `@Inject(STRIPE_GATEWAY) private readonly stripe: StripeGateway`. */
export const STRIPE_GATEWAY = Symbol('StripeGateway');
export const CARRIER_GATEWAY = Symbol('CarrierGateway');
export const WHATSAPP_GATEWAY = Symbol('WhatsAppGateway');

/**
 * The SDK clients themselves (`Stripe`, `Telnyx`), built once. For what the ports do not cover
 * yet, such as webhook signature checks (`stripe.webhooks.constructEvent`); business code uses
 * the gateways.
 */
export const STRIPE_CLIENT = Symbol('StripeClient');
export const TELNYX_CLIENT = Symbol('TelnyxClient');
