// Test-only (nothing in the app imports it): signs webhooks the way each provider does, with the
// SDK's own helper where there is one, so tests can send the gateway real, forged or stale ones.
import { createHmac, createPrivateKey, sign } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';

const stripe = new Stripe('sk_test_signing_only');

/** `Stripe-Signature` as Stripe computes it (`stripe.webhooks.generateTestHeaderString`). */
export function stripeSignature(payload: string, secret: string, at: Date = new Date()): Record<string, string> {
  const timestamp = Math.floor(at.getTime() / 1000);
  return { 'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp }) };
}

/** Ed25519 over `timestamp|body` with a base64 PKCS#8 PEM key (TELNYX_SIGNING_PRIVATE_KEY), as Telnyx signs. */
export function telnyxSignature(payload: string, privateKeyPemBase64: string, at: Date = new Date()): Record<string, string> {
  const key = createPrivateKey(Buffer.from(privateKeyPemBase64, 'base64').toString('utf8'));
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const signature = sign(null, Buffer.from(`${timestamp}|${payload}`, 'utf8'), key).toString('base64');
  return { 'telnyx-signature-ed25519': signature, 'telnyx-timestamp': timestamp };
}

/** `X-Hub-Signature-256` as Meta signs. */
export function metaSignature(payload: string, appSecret: string): Record<string, string> {
  return { 'x-hub-signature-256': `sha256=${createHmac('sha256', appSecret).update(payload, 'utf8').digest('hex')}` };
}

export function stripeEvent(type: string, object: Record<string, unknown> = {}, id = `evt_${randomUUID().replace(/-/g, '')}`) {
  return { id, object: 'event', type, created: Math.floor(Date.now() / 1000), livemode: false, data: { object } };
}

export function telnyxEvent(eventType: string, payload: Record<string, unknown> = {}, id: string = randomUUID()) {
  return {
    data: { event_type: eventType, id, occurred_at: new Date().toISOString(), payload, record_type: 'event' },
    meta: { attempt: 1, delivered_to: 'http://127.0.0.1/webhooks/telnyx' },
  };
}

/** A WhatsApp Business Account webhook with the given changes (`{field, value}`). */
export function metaWebhook(changes: { field: string; value: Record<string, unknown> }[], wabaId = '102290129340398') {
  return { object: 'whatsapp_business_account', entry: [{ id: wabaId, changes }] };
}

export function metaInboundMessage(wamid: string, from = '15551230000') {
  return {
    field: 'messages',
    value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15550001111', phone_number_id: '106540352242922' },
      contacts: [{ profile: { name: 'Kerry' }, wa_id: from }],
      messages: [{ from, id: wamid, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: 'hello' } }],
    },
  };
}

export function metaStatus(wamid: string, status: 'sent' | 'delivered' | 'read') {
  return {
    field: 'messages',
    value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15550001111', phone_number_id: '106540352242922' },
      statuses: [{ id: wamid, status, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: '15551230000' }],
    },
  };
}
