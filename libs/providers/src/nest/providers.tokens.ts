/** Inject the ports with these: `@Inject(STRIPE_GATEWAY) private readonly stripe: StripeGateway`. */
export const STRIPE_GATEWAY = Symbol('StripeGateway');
export const CARRIER_GATEWAY = Symbol('CarrierGateway');
export const WHATSAPP_GATEWAY = Symbol('WhatsAppGateway');
export const WEBHOOK_SIGNATURE_VERIFIER = Symbol('WebhookSignatureVerifier');

/**
 * The SDK clients themselves (`Stripe`, `Telnyx`), built once inside `ProvidersModule` for the
 * adapters; not exported: the rest of the code uses the ports.
 */
export const STRIPE_CLIENT = Symbol('StripeClient');
export const TELNYX_CLIENT = Symbol('TelnyxClient');
