import { createHmac } from 'node:crypto';
import { LATENCY_PROFILES, LatencySampler } from '../latency/latency-profile';
import { WebhookDeliveryLogStore } from '../state/webhook-delivery-log.store';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver';
import { MetaWebhookSigner } from './meta-webhook.signer';
import { StripeWebhookSigner } from './stripe-webhook.signer';
import { WebhookDeliverer } from './webhook.deliverer';

describe('WebhookDeliverer', () => {
  let receiver: WebhookReceiver;
  let log: WebhookDeliveryLogStore;
  let deliverer: WebhookDeliverer;

  beforeEach(async () => {
    receiver = await startWebhookReceiver();
    log = new WebhookDeliveryLogStore();
    deliverer = new WebhookDeliverer({
      targetBaseUrl: `${receiver.url}/`,
      signers: [new StripeWebhookSigner('whsec_x'), new MetaWebhookSigner('meta_secret')],
      log,
      retry: { maxAttempts: 3, baseDelayMs: 20 },
    });
  });
  afterEach(async () => {
    deliverer.close();
    await receiver.close();
  });

  it('POSTs the signed JSON body to /webhooks/{provider}', async () => {
    const [record] = await deliverer.deliver('meta', { object: 'whatsapp_business_account', entry: [] });
    expect(record).toMatchObject({ delivered: true, attempts: 1, lastStatus: 200, copy: 1 });
    const [received] = receiver.received;
    expect(received.path).toBe('/webhooks/meta');
    expect(received.headers['content-type']).toBe('application/json');
    const hmac = createHmac('sha256', 'meta_secret').update(received.body).digest('hex');
    expect(received.headers['x-hub-signature-256']).toBe(`sha256=${hmac}`);
    expect(log.list()).toEqual([record]);
  });

  it("holds an event for the latency profile's delay before it leaves", async () => {
    const slowed = new WebhookDeliverer({
      targetBaseUrl: receiver.url,
      signers: [new MetaWebhookSigner('meta_secret')],
      log,
      latency: new LatencySampler(LATENCY_PROFILES.realistic, 5),
    });
    const started = performance.now();
    const [record] = await slowed.deliver('meta', { object: 'whatsapp_business_account', entry: [] });
    // A Meta webhook's p50 is 1 s; sigma 0.25 keeps a draw under 500 ms 2.8 sigmas away.
    expect(performance.now() - started).toBeGreaterThan(500);
    expect(record).toMatchObject({ delivered: true, attempts: 1 });
    slowed.close();
  });

  it('retries a failed delivery with backoff and re-signs each attempt', async () => {
    receiver.respondWith(500, 503);
    const [record] = await deliverer.deliver('stripe', { id: 'evt_retry' });
    expect(record).toMatchObject({ delivered: true, attempts: 3, lastStatus: 200 });
    expect(receiver.received).toHaveLength(3);
    expect(receiver.received[2].at - receiver.received[1].at).toBeGreaterThanOrEqual(35);
    expect(receiver.received.every((r) => /^t=\d+,v1=[0-9a-f]{64}$/.test(String(r.headers['stripe-signature'])))).toBe(true);
  });

  it('gives up after maxAttempts and records why', async () => {
    receiver.respondWith(500, 500, 500, 500);
    const [record] = await deliverer.deliver('stripe', { id: 'evt_down' });
    expect(record).toMatchObject({ delivered: false, attempts: 3, lastStatus: 500, error: 'HTTP 500' });
  });

  it('delivers duplicates when asked for copies', async () => {
    const records = await deliverer.deliver('stripe', { id: 'evt_dup' }, { copies: 3 });
    expect(records.map((r) => r.copy).sort()).toEqual([1, 2, 3]);
    expect(receiver.received.map((r) => JSON.parse(r.body).id)).toEqual(['evt_dup', 'evt_dup', 'evt_dup']);
  });

  it('waits the policy delay before delivering', async () => {
    deliverer.setPolicy({ delayMs: 150 });
    const started = Date.now();
    await deliverer.deliver('stripe', { id: 'evt_late' });
    expect(receiver.received[0].at - started).toBeGreaterThanOrEqual(140);
  });

  it('delivers a batch in order, or shuffled when asked', async () => {
    const events = [1, 2, 3, 4].map((n) => ({ id: `evt_${n}` }));
    await deliverer.deliverBatch('stripe', events);
    const shuffler = new WebhookDeliverer({
      targetBaseUrl: receiver.url,
      signers: [new StripeWebhookSigner('whsec_x')],
      log,
      random: () => 0, // Fisher–Yates with 0 rotates the list: 2,3,4,1
    });
    await shuffler.deliverBatch('stripe', events, { shuffle: true });
    const ids = receiver.received.map((r) => JSON.parse(r.body).id);
    expect(ids).toEqual(['evt_1', 'evt_2', 'evt_3', 'evt_4', 'evt_2', 'evt_3', 'evt_4', 'evt_1']);
  });

  it('stops retrying once closed', async () => {
    receiver.respondWith(500, 500, 500);
    const slow = new WebhookDeliverer({
      targetBaseUrl: receiver.url,
      signers: [new StripeWebhookSigner('whsec_x')],
      log,
      retry: { maxAttempts: 5, baseDelayMs: 10_000 },
    });
    const pending = slow.deliver('stripe', { id: 'evt_closed' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    slow.close();
    const [record] = await pending;
    expect(record).toMatchObject({ delivered: false, attempts: 1, error: 'simulator closed' });
  });

  it('renders a per-attempt body when given a function, and logs the event id and type', async () => {
    receiver.respondWith(500);
    const [record] = await deliverer.deliver('stripe', ({ attempt }: { attempt: number }) => ({ id: 'evt_n', type: 'x.y', attempt }));
    expect(receiver.received.map((r) => JSON.parse(r.body).attempt)).toEqual([1, 2]);
    expect(record).toMatchObject({ eventId: 'evt_n', eventType: 'x.y', delivered: true, attempts: 2 });
  });

  it('abandons deliveries in flight on cancelPending, without logging them, and goes on with new ones', async () => {
    const patient = new WebhookDeliverer({ targetBaseUrl: receiver.url, signers: [new StripeWebhookSigner('whsec_x')], log, retry: { maxAttempts: 5, baseDelayMs: 10_000 } });
    receiver.respondWith(500);
    const pending = patient.deliver('stripe', { id: 'evt_old' });
    // Its first attempt answered 500: the delivery is in flight, waiting out its backoff. (A fixed
    // sleep here raced the first attempt on a loaded machine.)
    while (receiver.received.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    patient.cancelPending();
    const [old] = await pending;
    expect(old).toMatchObject({ delivered: false, error: 'cancelled by reset' });
    expect(log.list()).toEqual([]);
    const [fresh] = await patient.deliver('stripe', { id: 'evt_new' });
    expect(fresh).toMatchObject({ delivered: true, attempts: 1 });
    patient.close();
  });
});
