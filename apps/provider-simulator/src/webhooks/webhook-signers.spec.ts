import { createHmac, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Stripe from 'stripe';
import Telnyx from 'telnyx';
import { telnyxTestKeys } from '../testing/simulator-test-harness';
import { MetaWebhookSigner } from './meta-webhook.signer';
import { StripeWebhookSigner } from './stripe-webhook.signer';
import { TelnyxWebhookSigner } from './telnyx-webhook.signer';

const body = JSON.stringify({ id: 'evt_1', type: 'customer.subscription.updated', data: { object: { id: 'sub_1' } } });

describe('webhook signers', () => {
  it('signs Stripe events so stripe.webhooks.constructEvent accepts them', () => {
    const headers = new StripeWebhookSigner('whsec_abc').sign(body, new Date());
    const stripe = new Stripe('sk_test_x');
    const event = stripe.webhooks.constructEvent(body, headers['Stripe-Signature'], 'whsec_abc');
    expect(event.id).toBe('evt_1');
    expect(() => stripe.webhooks.constructEvent(body, headers['Stripe-Signature'], 'whsec_other')).toThrow();
    expect(() => stripe.webhooks.constructEvent(`${body} `, headers['Stripe-Signature'], 'whsec_abc')).toThrow();
  });

  it('signs with the given time, so Stripe’s tolerance check sees old signatures', () => {
    const old = new Date(Date.now() - 10 * 60 * 1000);
    const headers = new StripeWebhookSigner('whsec_abc').sign(body, old);
    expect(headers['Stripe-Signature']).toMatch(new RegExp(`^t=${Math.floor(old.getTime() / 1000)},v1=[0-9a-f]{64}$`));
    expect(() => new Stripe('sk_test_x').webhooks.constructEvent(body, headers['Stripe-Signature'], 'whsec_abc', 300)).toThrow(
      /tolerance/i,
    );
  });

  it('signs Telnyx events so the telnyx SDK verifies them with the raw public key', async () => {
    const keys = telnyxTestKeys();
    const signer = new TelnyxWebhookSigner(keys.privateKeyPemBase64);
    const headers = signer.sign(body, new Date());
    const telnyx = new Telnyx({ apiKey: 'KEY_x', clientID: null, clientSecret: null });

    expect(signer.publicKeyBase64()).toBe(keys.publicKeyBase64);
    await expect(telnyx.webhooks.unwrap(body, { headers, key: keys.publicKeyBase64 })).resolves.toMatchObject({ id: 'evt_1' });
    await expect(telnyx.webhooks.unwrap(`${body} `, { headers, key: keys.publicKeyBase64 })).rejects.toThrow(/signature/i);
    await expect(telnyx.webhooks.unwrap(body, { headers, key: telnyxTestKeys().publicKeyBase64 })).rejects.toThrow();
  });

  it('uses a signing key in env/local.env that matches its TELNYX_PUBLIC_KEY', () => {
    const env = Object.fromEntries(
      readFileSync(join(__dirname, '../../../../env/local.env'), 'utf8')
        .split('\n')
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    expect(new TelnyxWebhookSigner(env.TELNYX_SIGNING_PRIVATE_KEY).publicKeyBase64()).toBe(env.TELNYX_PUBLIC_KEY);
  });

  it('refuses a signing key that is not Ed25519', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => new TelnyxWebhookSigner(Buffer.from(pem).toString('base64'))).toThrow(/Ed25519/);
  });

  it('signs Meta events as X-Hub-Signature-256 over the raw body', () => {
    const headers = new MetaWebhookSigner('app_secret').sign(body);
    const expected = createHmac('sha256', 'app_secret').update(body).digest('hex');
    expect(headers).toEqual({ 'X-Hub-Signature-256': `sha256=${expected}` });
  });
});
