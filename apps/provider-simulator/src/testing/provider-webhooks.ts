import Stripe from 'stripe';
import Telnyx from 'telnyx';
import type { ReceivedWebhook } from './webhook-receiver';

/** Stripe events received, each verified with the stripe SDK as the gateway will (throws on a bad signature). */
export function verifiedStripeEvents(received: readonly ReceivedWebhook[], secret: string): Stripe.Event[] {
  const stripe = new Stripe('sk_test_verify');
  return received
    .filter((webhook) => webhook.path === '/webhooks/stripe')
    .map((webhook) => stripe.webhooks.constructEvent(webhook.body, String(webhook.headers['stripe-signature']), secret));
}

export interface TelnyxEnvelope {
  data: { event_type: string; id: string; occurred_at: string; payload: Record<string, unknown>; record_type: string };
  meta: { attempt: number; delivered_to: string };
}

/** Telnyx events received, each verified with the telnyx SDK's `webhooks.unwrap` (Ed25519). */
export async function verifiedTelnyxEvents(received: readonly ReceivedWebhook[], publicKey: string): Promise<TelnyxEnvelope[]> {
  const telnyx = new Telnyx({ apiKey: 'KEY_verify', clientID: null, clientSecret: null });
  const events: TelnyxEnvelope[] = [];
  for (const webhook of received.filter((w) => w.path === '/webhooks/telnyx')) {
    const headers = {
      'telnyx-signature-ed25519': String(webhook.headers['telnyx-signature-ed25519']),
      'telnyx-timestamp': String(webhook.headers['telnyx-timestamp']),
    };
    events.push((await telnyx.webhooks.unwrap(webhook.body, { headers, key: publicKey })) as unknown as TelnyxEnvelope);
  }
  return events;
}

/** A received Telnyx webhook of this event type (unverified match, for `waitFor`). */
export function isTelnyxEvent(type: string, where: (payload: Record<string, unknown>) => boolean = () => true) {
  return (webhook: ReceivedWebhook): boolean => {
    if (webhook.path !== '/webhooks/telnyx') return false;
    const body = JSON.parse(webhook.body) as TelnyxEnvelope;
    return body.data.event_type === type && where(body.data.payload);
  };
}

/** A received Stripe webhook of this event type (unverified match, for `waitFor`). */
export function isStripeEvent(type: string, where: (object: Record<string, unknown>) => boolean = () => true) {
  return (webhook: ReceivedWebhook): boolean => {
    if (webhook.path !== '/webhooks/stripe') return false;
    const body = JSON.parse(webhook.body) as { type: string; data: { object: Record<string, unknown> } };
    return body.type === type && where(body.data.object);
  };
}
