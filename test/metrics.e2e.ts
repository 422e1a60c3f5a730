// Metrics and health of every process, end to end: the built gateway and the four workers as real
// processes, each scraped at /metrics before and after a number is bought, paid and activated, and
// its activation delivered to the customer's endpoint: the counters and histograms each process
// owns moved by what the purchase did.
import Zernio from '@zernio/node';
import { createTestAccountWithKey, eventually, startCustomerWebhookReceiver, type CustomerWebhookReceiver } from '@numbers/test-support';
import { startSystem, type System } from './support/system';

let system: System;
let receiver: CustomerWebhookReceiver;
/** Every process's base URL for /metrics and /health/*, by app. */
let urls: Record<string, string>;

beforeAll(async () => {
  receiver = await startCustomerWebhookReceiver();
  // Numbers by state counted on every scrape, so the test sees the activation at once.
  system = await startSystem({ METRICS_NUMBERS_REFRESH_MS: '0' }, { deliveries: true, readyTimeoutMs: 120_000 });
  await system.startWorker('calling-worker');
  urls = system.metricsUrls;
}, 600_000); // five processes, and their builds when stale

afterAll(async () => {
  await system?.stop();
  await receiver?.stop();
});

async function scrape(app: string): Promise<string> {
  const response = await fetch(`${urls[app]}/metrics`);
  expect([app, response.status, response.headers.get('content-type')]).toEqual([app, 200, expect.stringContaining('text/plain; version=0.0.4')]);
  return response.text();
}

async function scrapeAll(): Promise<Record<string, string>> {
  const apps = Object.keys(urls);
  return Object.fromEntries(await Promise.all(apps.map(async (app) => [app, await scrape(app)] as const)));
}

/** The sum of the samples of `name` whose labels include every one of `labels`. */
function sum(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  return text
    .split('\n')
    .filter((line) => (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) && wanted.every((pair) => line.includes(pair)))
    .reduce((total, line) => total + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

describe('every process', () => {
  it('serves /health/live, /health/ready and Prometheus /metrics with the process defaults', async () => {
    expect(Object.keys(urls).sort()).toEqual(['api-gateway', 'billing-worker', 'calling-worker', 'delivery-worker', 'provisioning-worker']);
    for (const [app, url] of Object.entries(urls)) {
      const live = await fetch(`${url}/health/live`);
      expect([app, live.status]).toEqual([app, 200]);
      const ready = await fetch(`${url}/health/ready`);
      expect([app, ready.status, ((await ready.json()) as { status: string }).status]).toEqual([app, 200, 'ok']);
      const text = await scrape(app);
      expect(text).toContain('process_cpu_user_seconds_total');
      expect(text).toContain('nodejs_eventloop_lag_seconds');
    }
    const metrics = await scrapeAll();
    // Each worker reports the depth of the queue it owns, and the outbox lag.
    for (const [app, queue] of [['provisioning-worker', 'provisioning'], ['billing-worker', 'billing'], ['calling-worker', 'calling'], ['delivery-worker', 'deliveries']]) {
      expect([app, metrics[app]]).toEqual([app, expect.stringContaining(`numbers_queue_jobs{queue="${queue}",state="waiting"}`)]);
      expect([app, metrics[app]]).toEqual([app, expect.stringContaining('numbers_outbox_lag_seconds ')]);
    }
  });
});

describe('a purchase, seen in the metrics', () => {
  it('moves the counters and histograms of each process that worked on it', async () => {
    const acme = await createTestAccountWithKey(system.db, { name: 'Acme', planCode: 'growth' });
    const z = new Zernio({ apiKey: acme.apiKey, baseURL: system.baseUrl });
    await z.webhooks.createWebhookSettings({ body: { name: 'main', url: `${receiver.url}/main`, events: ['whatsapp.number.activated'] } });
    const before = await scrapeAll();

    const bought = (await z.whatsappphonenumbers.purchaseWhatsAppPhoneNumber({ body: { profileId: acme.profileId } })).data as { checkoutUrl?: string };
    expect(bought.checkoutUrl).toBeDefined();
    const number = await system.db.selectFrom('phoneNumbers').selectAll().where('accountId', '=', acme.accountId).executeTakeFirstOrThrow();
    await system.sim.post(`/_sim/stripe/checkout/${number.stripeCheckoutSessionId}/pay`, {});
    await eventually('the activation delivered to the customer', async () => receiver.deliveries('/main').some((d) => d.body.event === 'whatsapp.number.activated'));

    const purchase = { route: '/v1/whatsapp/phone-numbers/purchase', method: 'POST' };
    const completed = (queue: string) => ({ queue, outcome: 'completed' });
    // Jobs are counted when BullMQ's run returns, a moment after their effect is visible.
    const after = await eventually('the workers counted their jobs', async () => {
      const now = await scrapeAll();
      const moved = (app: string, name: string, labels: Record<string, string>) => sum(now[app], name, labels) > sum(before[app], name, labels);
      return moved('provisioning-worker', 'numbers_job_duration_seconds_count', completed('provisioning')) &&
        moved('billing-worker', 'numbers_job_duration_seconds_count', completed('billing')) &&
        moved('delivery-worker', 'numbers_job_duration_seconds_count', { queue: 'deliveries', job: 'deliver-webhook', outcome: 'completed' })
        ? now
        : null;
    });
    const delta = (app: string, name: string, labels: Record<string, string> = {}) => sum(after[app], name, labels) - sum(before[app], name, labels);

    // Gateway: the purchase request, timed under its route template; the providers' webhooks stored.
    expect(delta('api-gateway', 'numbers_http_request_duration_seconds_count', purchase)).toBe(1);
    expect(delta('api-gateway', 'numbers_http_request_duration_seconds_sum', purchase)).toBeGreaterThan(0);
    expect(delta('api-gateway', 'numbers_webhooks_received_total', { provider: 'stripe', outcome: 'stored' })).toBeGreaterThanOrEqual(1); // checkout.session.completed
    expect(delta('api-gateway', 'numbers_webhooks_received_total', { provider: 'telnyx', outcome: 'stored' })).toBeGreaterThanOrEqual(2); // the order, the code's SMS
    expect(after['api-gateway']).not.toContain(number.id);
    // Provisioning: the order and the WhatsApp registration ran as jobs; the number counted as active.
    const provisioningJobs = ['order-number', 'register-whatsapp', 'process-telnyx-event'];
    expect(Object.fromEntries(provisioningJobs.map((job) => [job, delta('provisioning-worker', 'numbers_job_duration_seconds_count', { job, outcome: 'completed' }) >= 1]))).toEqual(
      Object.fromEntries(provisioningJobs.map((job) => [job, true])),
    );
    expect(delta('provisioning-worker', 'numbers_job_duration_seconds_sum', completed('provisioning'))).toBeGreaterThan(0);
    expect(delta('provisioning-worker', 'numbers_phone_numbers', { status: 'active' })).toBe(1);
    // Billing: the Checkout's completion processed.
    expect(delta('billing-worker', 'numbers_job_duration_seconds_count', { job: 'process-stripe-event', outcome: 'completed' })).toBeGreaterThanOrEqual(1);
    // Delivery: the activation delivered to the customer's endpoint.
    expect(delta('delivery-worker', 'numbers_webhook_deliveries_total', { outcome: 'delivered' })).toBe(1);
    // No job failed for good anywhere.
    for (const app of Object.keys(urls)) expect([app, delta(app, 'numbers_job_duration_seconds_count', { outcome: 'failed' })]).toEqual([app, 0]);
  });
});
