import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import Stripe from 'stripe';
import Telnyx from 'telnyx';
import { WebhookSignatureError } from '../ports/webhook-signature.verifier';
import { SdkWebhookSignatureVerifier } from './sdk-webhook-signature.verifier';

const stripe = new Stripe('sk_test_signing_only');
const keys = generateKeyPairSync('ed25519');
const publicKeyDer = keys.publicKey.export({ format: 'der', type: 'spki' });
const secrets = { stripeWebhookSecret: 'whsec_test', telnyxPublicKey: publicKeyDer.subarray(publicKeyDer.length - 32).toString('base64'), metaAppSecret: 'meta_secret' };
const verifier = new SdkWebhookSignatureVerifier(stripe, new Telnyx({ apiKey: 'KEY_test' }), secrets);

const body = JSON.stringify({ id: 'evt_1', type: 'invoice.paid' });
const now = () => Math.floor(Date.now() / 1000);

function telnyxHeaders(payload: string, timestamp = now()) {
  const signature = sign(null, Buffer.from(`${timestamp}|${payload}`), keys.privateKey).toString('base64');
  return { 'telnyx-signature-ed25519': signature, 'telnyx-timestamp': String(timestamp) };
}

async function problemOf(check: Promise<unknown>): Promise<string> {
  const error = await check.then(() => null, (e: unknown) => e);
  return error instanceof WebhookSignatureError ? error.problem : `not refused: ${String(error)}`;
}

describe('SdkWebhookSignatureVerifier', () => {
  it('returns the body of a webhook signed the provider\'s way', async () => {
    const stripeHeader = stripe.webhooks.generateTestHeaderString({ payload: body, secret: secrets.stripeWebhookSecret });
    await expect(verifier.verifyStripe(Buffer.from(body), { 'stripe-signature': stripeHeader })).resolves.toMatchObject({ id: 'evt_1' });
    await expect(verifier.verifyTelnyx(Buffer.from(body), telnyxHeaders(body))).resolves.toMatchObject({ id: 'evt_1' });
    const metaHeader = `sha256=${createHmac('sha256', secrets.metaAppSecret).update(body).digest('hex')}`;
    await expect(verifier.verifyMeta(Buffer.from(body), { 'x-hub-signature-256': metaHeader })).resolves.toMatchObject({ id: 'evt_1' });
  });

  it('refuses a missing, forged or stale signature', async () => {
    const forged = stripe.webhooks.generateTestHeaderString({ payload: body, secret: 'whsec_other' });
    expect(await problemOf(verifier.verifyStripe(Buffer.from(body), {}))).toBe('signature');
    expect(await problemOf(verifier.verifyStripe(Buffer.from(body), { 'stripe-signature': forged }))).toBe('signature');
    expect(await problemOf(verifier.verifyTelnyx(Buffer.from(body), telnyxHeaders(body, now() - 600)))).toBe('signature');
    expect(await problemOf(verifier.verifyTelnyx(Buffer.from(`${body} `), telnyxHeaders(body)))).toBe('signature');
    expect(await problemOf(verifier.verifyMeta(Buffer.from(body), { 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` }))).toBe('signature');
  });

  it('tells a signed body that is not JSON from a bad signature', async () => {
    const notJson = '{not json';
    const stripeHeader = stripe.webhooks.generateTestHeaderString({ payload: notJson, secret: secrets.stripeWebhookSecret });
    expect(await problemOf(verifier.verifyStripe(Buffer.from(notJson), { 'stripe-signature': stripeHeader }))).toBe('payload');
    expect(await problemOf(verifier.verifyTelnyx(Buffer.from(notJson), telnyxHeaders(notJson)))).toBe('payload');
    const metaHeader = `sha256=${createHmac('sha256', secrets.metaAppSecret).update(notJson).digest('hex')}`;
    expect(await problemOf(verifier.verifyMeta(Buffer.from(notJson), { 'x-hub-signature-256': metaHeader }))).toBe('payload');
  });
});
