// Webhooks to customers, end to end: the built gateway, workers and delivery worker as processes,
// driven through the public `@zernio/node` SDK; the customer's endpoints are a real HTTP server in
// this test, and every delivery is checked with the verification snippet customers copy from
// docs/webhooks.md.
import type { IncomingHttpHeaders } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import Zernio, { ZernioApiError } from '@zernio/node';
import type { Database } from '@numbers/persistence';
import {
  createTestAccountWithKey,
  eventually,
  startCustomerWebhookReceiver,
  type CustomerWebhookReceiver,
  type ReceivedDelivery,
  type SimulatorProcess,
  type TestAccountWithKey,
} from '@numbers/test-support';
import { setWebhookPolicy, startSystem, type System } from './support/system';

const { verifyWebhook } = createRequire(__filename)(path.resolve(__dirname, '../docs/snippets/verify-webhook.js')) as {
  verifyWebhook: (secret: string, headers: IncomingHttpHeaders, rawBody: string | Buffer, nowMs?: number) => boolean;
};

interface WebhookView {
  _id: string;
  name: string;
  url: string;
  secret?: string;
  events: string[];
  isActive: boolean;
  failureCount: number;
  lastFiredAt?: string;
  customHeaders: Record<string, string>;
}
interface StockWatchView {
  id: string;
  country: string;
  countryName: string;
  numberType: string | null;
  areaCode?: string | null;
  createdAt: string;
}
interface LogView {
  eventId: string;
  event: string;
  status: string;
  statusCode?: number;
  attemptNumber: number;
  webhookId: string;
  requestPayload: { id: string };
}

const dataOf = <T>(result: { data?: unknown }): T => result.data as T;

/** The status of a request the SDK refuses with ZernioApiError. */
async function refusedWith(request: Promise<unknown>): Promise<number> {
  const failure = await request.then(
    () => null,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(ZernioApiError);
  return (failure as ZernioApiError).statusCode;
}

let system: System;
let db: Database;
let sim: SimulatorProcess;
let baseUrl: string;
let receiver: CustomerWebhookReceiver;

beforeAll(async () => {
  receiver = await startCustomerWebhookReceiver();
  // Retries 200 ms, then 400 ms, ... for 5 s: the "500 twice, then 200" receiver hears the third within a second.
  // Stock watches are swept every 300 ms.
  system = await startSystem(
    {
      WEBHOOK_RETRY_FIRST_DELAY_MS: '200',
      WEBHOOK_RETRY_FACTOR: '2',
      WEBHOOK_RETRY_MAX_DELAY_MS: '1000',
      WEBHOOK_RETRY_WINDOW_MS: '5000',
      SCHEDULE_SWEEP_STOCK_WATCHES_MS: '300',
    },
    { deliveries: true },
  );
  ({ db, sim, baseUrl } = system);
}, 300_000);

afterAll(async () => {
  await system?.stop();
  await receiver?.stop();
});

async function buyActiveNumber(account: TestAccountWithKey, z: Zernio): Promise<string> {
  await z.whatsappphonenumbers.purchaseWhatsAppPhoneNumber({ body: { profileId: account.profileId } });
  const number = await db.selectFrom('phoneNumbers').selectAll().where('accountId', '=', account.accountId).orderBy('createdAt', 'desc').limit(1).executeTakeFirstOrThrow();
  await sim.post(`/_sim/stripe/checkout/${number.stripeCheckoutSessionId}/pay`, {});
  await eventually('number active', async () => (await db.selectFrom('phoneNumbers').select('status').where('id', '=', number.id).executeTakeFirstOrThrow()).status === 'active');
  return number.id;
}

function eventsAt(path: string, event?: string): ReceivedDelivery[] {
  return receiver.deliveries(path).filter((d) => event === undefined || d.body.event === event);
}

describe('webhooks to customers', () => {
  let acme: TestAccountWithKey;
  let z: Zernio;
  let main: WebhookView;
  let flaky: WebhookView;
  let numberId: string;

  beforeAll(async () => {
    acme = await createTestAccountWithKey(db, { name: 'Acme', planCode: 'growth' });
    z = new Zernio({ apiKey: acme.apiKey, baseURL: baseUrl });
  });

  it('creates endpoints: the secret is generated and shown once, never listed', async () => {
    main = dataOf<{ webhook: WebhookView }>(
      await z.webhooks.createWebhookSettings({
        body: {
          name: 'main',
          url: `${receiver.url}/main`,
          events: ['whatsapp.number.activated', 'whatsapp.number.released'],
          customHeaders: { authorization: 'Bearer receiver-token' },
        },
      }),
    ).webhook;
    expect(main).toMatchObject({ name: 'main', isActive: true, failureCount: 0, secret: expect.stringMatching(/^whsec_/) });
    flaky = dataOf<{ webhook: WebhookView }>(
      await z.webhooks.createWebhookSettings({ body: { name: 'flaky', url: `${receiver.url}/flaky`, secret: 'flaky-secret-0123456789', events: ['whatsapp.number.activated'] } }),
    ).webhook;

    const listed = dataOf<{ webhooks: WebhookView[] }>(await z.webhooks.getWebhookSettings()).webhooks;
    expect(listed.map((w) => w.name)).toEqual(['main', 'flaky']);
    for (const webhook of listed) expect(webhook).not.toHaveProperty('secret');
    const stored = await db.selectFrom('webhookEndpoints').select('secretSealed').where('id', '=', main._id).executeTakeFirstOrThrow();
    expect(stored.secretSealed).not.toContain(main.secret);
  });

  it('refuses bad settings with a 400 naming the field', async () => {
    const bad = async (body: Record<string, unknown>) => {
      const response = await fetch(`${baseUrl}/v1/webhooks/settings`, { method: 'POST', headers: { authorization: `Bearer ${acme.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: response.status, body: (await response.json()) as { param?: string; error: string } };
    };
    const valid = { name: 'x', url: `${receiver.url}/x`, events: ['whatsapp.number.activated'] };
    expect(await bad({ ...valid, name: '' })).toMatchObject({ status: 400, body: { param: 'name' } });
    expect(await bad({ ...valid, events: [] })).toMatchObject({ status: 400, body: { param: 'events' } });
    expect(await bad({ ...valid, events: ['post.published'] })).toMatchObject({ status: 400, body: { param: 'events.0' } });
    expect(await bad({ ...valid, url: 'http://10.0.0.7/hook' })).toMatchObject({ status: 400, body: { param: 'url', error: expect.stringContaining('private') } });
    expect(await bad({ ...valid, customHeaders: { 'X-Zernio-Signature': 'forged' } })).toMatchObject({ status: 400, body: { param: 'customHeaders.X-Zernio-Signature' } });
  });

  it("another account's webhook is not found", async () => {
    const other = await createTestAccountWithKey(db, { name: 'Other', planCode: 'growth' });
    const theirs = new Zernio({ apiKey: other.apiKey, baseURL: baseUrl });
    expect(await refusedWith(theirs.webhooks.updateWebhookSettings({ body: { webhookId: main._id, name: 'hijacked' } }))).toBe(404);
    expect(await refusedWith(theirs.webhooks.deleteWebhookSettings({ query: { webhookId: main._id } }))).toBe(404);
    expect(await refusedWith(theirs.webhooks.testWebhook({ body: { webhookId: main._id } }))).toBe(404);
    expect(dataOf<{ logs: unknown[] }>(await theirs.webhooks.getWebhookLogs({ query: { webhookId: main._id } })).logs).toEqual([]);
    expect(dataOf<{ webhooks: WebhookView[] }>(await theirs.webhooks.getWebhookSettings()).webhooks).toEqual([]);
  });

  it('a test delivery is synchronous, signed, and in the logs', async () => {
    const answer = dataOf<{ success: boolean; message: string }>(await z.webhooks.testWebhook({ body: { webhookId: main._id } }));
    expect(answer.success).toBe(true);
    const [test] = eventsAt('/main', 'webhook.test');
    expect(test.body).toMatchObject({ event: 'webhook.test', message: expect.any(String), timestamp: expect.any(String) });
    expect(test.headers['authorization']).toBe('Bearer receiver-token');
    expect(verifyWebhook(main.secret ?? '', test.headers, test.rawBody)).toBe(true);
    const logs = dataOf<{ logs: LogView[] }>(await z.webhooks.getWebhookLogs({ query: { webhookId: main._id, eventId: test.body.id } })).logs;
    expect(logs).toEqual([expect.objectContaining({ event: 'webhook.test', status: 'success', statusCode: 200, attemptNumber: 1 })]);
  });

  it('a number that becomes active is announced once to each subscribed endpoint, signed; a failing one hears it on the third attempt', async () => {
    // The flaky endpoint answers 500 to the first two attempts of each event.
    receiver.answer = (delivery, seenBefore) => (delivery.path === '/flaky' && seenBefore < 2 ? 500 : 200);
    numberId = await buyActiveNumber(acme, z);

    const [activated] = await eventually('activated at main', async () => {
      const found = eventsAt('/main', 'whatsapp.number.activated');
      return found.length > 0 ? found : null;
    });
    const number = await db.selectFrom('phoneNumbers').selectAll().where('id', '=', numberId).executeTakeFirstOrThrow();
    expect(activated.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      event: 'whatsapp.number.activated',
      phoneNumber: { id: numberId, phoneNumber: number.phoneNumber, status: 'active', country: number.country, profileId: acme.profileId },
      account: { id: acme.accountId, accountId: acme.accountId, profileId: acme.profileId },
      timestamp: expect.any(String),
    });
    expect(activated.headers['x-zernio-event-id']).toBe(activated.body.id);
    expect(verifyWebhook(main.secret ?? '', activated.headers, activated.rawBody)).toBe(true);
    expect(verifyWebhook('not-the-secret', activated.headers, activated.rawBody)).toBe(false);

    const flakyDeliveries = await eventually('flaky endpoint took it', async () => {
      const found = eventsAt('/flaky', 'whatsapp.number.activated');
      return found.some((d) => d.status === 200) ? found : null;
    });
    expect(flakyDeliveries.map((d) => [d.body.id, d.status])).toEqual([
      [activated.body.id, 500],
      [activated.body.id, 500],
      [activated.body.id, 200],
    ]);
    expect(verifyWebhook('flaky-secret-0123456789', flakyDeliveries[2].headers, flakyDeliveries[2].rawBody)).toBe(true);
    const logs = await eventually('three attempts logged', async () => {
      const found = dataOf<{ logs: LogView[] }>(await z.webhooks.getWebhookLogs({ query: { webhookId: flaky._id, eventId: activated.body.id } })).logs;
      return found.length === 3 ? found : null;
    });
    expect(logs.map((l) => [l.attemptNumber, l.status, l.statusCode])).toEqual([
      [3, 'success', 200],
      [2, 'failed', 500],
      [1, 'failed', 500],
    ]);
    const [flakyNow] = dataOf<{ webhooks: WebhookView[] }>(await z.webhooks.getWebhookSettings()).webhooks.filter((w) => w._id === flaky._id);
    expect(flakyNow).toMatchObject({ failureCount: 0, lastFiredAt: expect.any(String), isActive: true });
    // Exactly once at main, even after the retries elsewhere settled.
    expect(eventsAt('/main', 'whatsapp.number.activated')).toHaveLength(1);
    // Secrets and the receiver's token never reach a log line.
    for (const process of [system.gateway, system.delivery]) {
      expect(process?.logs()).not.toContain(main.secret);
      expect(process?.logs()).not.toContain('flaky-secret-0123456789');
      expect(process?.logs()).not.toContain('receiver-token');
    }
  });

  it('redelivers an event with the same id', async () => {
    const [activated] = eventsAt('/main', 'whatsapp.number.activated');
    const answer = dataOf<{ success: boolean }>(await z.webhooks.redeliverWebhookEvent({ body: { webhookId: main._id, eventId: activated.body.id } }));
    expect(answer.success).toBe(true);
    const again = await eventually('redelivered', async () => {
      const found = eventsAt('/main', 'whatsapp.number.activated');
      return found.length === 2 ? found[1] : null;
    });
    expect(again.body).toEqual(activated.body);
    expect(again.headers['x-zernio-event-id']).toBe(activated.body.id);
    expect(verifyWebhook(main.secret ?? '', again.headers, again.rawBody)).toBe(true);
    expect(await refusedWith(z.webhooks.redeliverWebhookEvent({ body: { webhookId: main._id, eventId: '0123456789abcdef01234567' } }))).toBe(404);
  });

  it('a release is announced; a deleted webhook hears nothing more', async () => {
    const doomed = dataOf<{ webhook: WebhookView }>(
      await z.webhooks.createWebhookSettings({ body: { name: 'doomed', url: `${receiver.url}/doomed`, events: ['whatsapp.number.released'] } }),
    ).webhook;
    expect(dataOf<{ success: boolean }>(await z.webhooks.deleteWebhookSettings({ query: { webhookId: doomed._id } })).success).toBe(true);

    await z.whatsappphonenumbers.releaseWhatsAppPhoneNumber({ path: { phoneNumberId: numberId } });
    const [released] = await eventually('released at main', async () => {
      const found = eventsAt('/main', 'whatsapp.number.released');
      return found.length > 0 ? found : null;
    });
    expect(released.body).toMatchObject({ event: 'whatsapp.number.released', phoneNumber: { id: numberId, status: 'released' } });
    expect(receiver.deliveries('/doomed')).toEqual([]);
    expect(await refusedWith(z.webhooks.testWebhook({ body: { webhookId: doomed._id } }))).toBe(404);
  });
});

describe('every provider webhook delivered five times, shuffled', () => {
  it('still makes exactly one customer event per state change, each delivered once', async () => {
    const globex = await createTestAccountWithKey(db, { name: 'Globex', planCode: 'growth' });
    const z = new Zernio({ apiKey: globex.apiKey, baseURL: baseUrl });
    await z.webhooks.createWebhookSettings({ body: { name: 'all', url: `${receiver.url}/globex`, events: ['whatsapp.number.activated', 'whatsapp.number.released'] } });
    await setWebhookPolicy(sim, { copies: 5, shuffle: true });
    try {
      const numberId = await buyActiveNumber(globex, z);
      await z.whatsappphonenumbers.releaseWhatsAppPhoneNumber({ path: { phoneNumberId: numberId } });
      await eventually('released', async () => (await db.selectFrom('phoneNumbers').select('status').where('id', '=', numberId).executeTakeFirstOrThrow()).status === 'released');
      await eventually('both delivered', async () => eventsAt('/globex').length >= 2);

      const born = await db.selectFrom('customerEvents').select(['type', 'id']).where('accountId', '=', globex.accountId).orderBy('createdAt').execute();
      expect(born.map((e) => e.type)).toEqual(['whatsapp.number.activated', 'whatsapp.number.released']);
      expect(eventsAt('/globex').map((d) => d.body.id)).toEqual(born.map((e) => e.id));
    } finally {
      await setWebhookPolicy(sim, { copies: 1, shuffle: false });
    }
  });
});

describe('stock watches', () => {
  it('a watch of an area out of stock hears phone_number.stock_available once when numbers return, then it is gone; only its account may delete it', async () => {
    const initech = await createTestAccountWithKey(db, { name: 'Initech', planCode: 'growth' });
    const z = new Zernio({ apiKey: initech.apiKey, baseURL: baseUrl });
    const hook = dataOf<{ webhook: WebhookView }>(
      await z.webhooks.createWebhookSettings({ body: { name: 'stock', url: `${receiver.url}/stock`, events: ['phone_number.stock_available'] } }),
    ).webhook;
    await sim.post('/_sim/telnyx/countries/CA/unavailable', {});
    try {
      const watch = dataOf<StockWatchView>(await z.phonenumbers.createPhoneNumberStockWatch({ body: { country: 'ca', numberType: 'local', areaCode: '416' } }));
      expect(watch).toEqual({ id: expect.stringMatching(/^[0-9a-f]{24}$/), country: 'CA', countryName: 'Canada', numberType: 'local', areaCode: '416', createdAt: expect.any(String) });
      expect(dataOf<StockWatchView>(await z.phonenumbers.createPhoneNumberStockWatch({ body: { country: 'CA', numberType: 'local', areaCode: '416' } })).id).toBe(watch.id);
      const bad = async (body: Record<string, unknown>) => {
        const response = await fetch(`${baseUrl}/v1/phone-numbers/stock-watches`, { method: 'POST', headers: { authorization: `Bearer ${initech.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
        return { status: response.status, body: (await response.json()) as { param?: string } };
      };
      expect(await bad({ country: 'ZZ' })).toMatchObject({ status: 400, body: { param: 'country' } });
      expect(await bad({ country: 'CA', numberType: 'landline' })).toMatchObject({ status: 400, body: { param: 'numberType' } });
      expect(await bad({ country: 'CA', numberType: 'local', areaCode: '4l6' })).toMatchObject({ status: 400, body: { param: 'areaCode' } });

      const other = new Zernio({ apiKey: (await createTestAccountWithKey(db, { name: 'Other', planCode: 'growth' })).apiKey, baseURL: baseUrl });
      expect(await refusedWith(other.phonenumbers.deletePhoneNumberStockWatch({ path: { id: watch.id } }))).toBe(404);
      expect(dataOf<{ watches: StockWatchView[] }>(await other.phonenumbers.listPhoneNumberStockWatches()).watches).toEqual([]);
      const dropped = dataOf<StockWatchView>(await z.phonenumbers.createPhoneNumberStockWatch({ body: { country: 'GB', numberType: 'national' } }));
      expect(dataOf<{ deleted: boolean }>(await z.phonenumbers.deletePhoneNumberStockWatch({ path: { id: dropped.id } }))).toEqual({ deleted: true });
      // Several sweeps run while Canada is out of stock: the watch waits.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(dataOf<{ watches: StockWatchView[] }>(await z.phonenumbers.listPhoneNumberStockWatches()).watches).toEqual([watch]);
      expect(eventsAt('/stock')).toEqual([]);

      await sim.post('/_sim/telnyx/countries/CA/available', {});
      const [told] = await eventually('stock announced', async () => {
        const found = eventsAt('/stock', 'phone_number.stock_available');
        return found.length > 0 ? found : null;
      });
      expect(told.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{24}$/),
        event: 'phone_number.stock_available',
        stock: { country: 'CA', types: [{ numberType: 'local', availableCount: expect.any(Number) }], areaCode: '416', areaName: 'Toronto' },
        timestamp: expect.any(String),
      });
      expect(verifyWebhook(hook.secret ?? '', told.headers, told.rawBody)).toBe(true);
      expect(dataOf<{ watches: StockWatchView[] }>(await z.phonenumbers.listPhoneNumberStockWatches()).watches).toEqual([]);
      expect(await refusedWith(z.phonenumbers.deletePhoneNumberStockWatch({ path: { id: watch.id } }))).toBe(404);
      // Later sweeps send nothing more.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(eventsAt('/stock')).toHaveLength(1);
    } finally {
      await sim.post('/_sim/telnyx/countries/CA/available', {});
    }
  });

});
