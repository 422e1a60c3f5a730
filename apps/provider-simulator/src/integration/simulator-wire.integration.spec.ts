import type { SimulatorStateDump } from '../control/state-dump';
import { simFetch, startSimulator, type RunningSimulator } from '../testing/simulator-test-harness';

/** A Stripe response body, read loosely: objects and errors share it. */
interface StripeJson {
  id: string;
  created: number;
  items: { data: { id: string }[] };
  error?: Record<string, unknown>;
  [field: string]: unknown;
}

const STRIPE_AUTH = { authorization: 'Bearer sk_test_wire' };

/** Raw HTTP: the wire formats and the control API, without SDKs in between. */
describe('provider simulator over raw HTTP', () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(() => sim.close());
  beforeEach(async () => {
    expect((await simFetch(`${sim.url}/_sim/reset`, { method: 'POST' })).status).toBe(204);
  });

  const stripeForm = (path: string, form: string, headers: Record<string, string> = {}) =>
    fetch(`${sim.url}${path}`, {
      method: 'POST',
      headers: { ...STRIPE_AUTH, 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: form,
    }).then(async (r) => ({ status: r.status, headers: r.headers, body: (await r.json()) as StripeJson }));

  it('answers /health', async () => {
    await expect(simFetch(`${sim.url}/health`)).resolves.toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('decodes Stripe form bodies with nested keys', async () => {
    const customer = await stripeForm('/v1/customers', 'name=Acme&metadata[accountId]=acc_9');
    const form = `customer=${customer.body.id}&items[0][price]=price_a&items[0][quantity]=3&metadata[accountId]=acc_9`;
    const subscription = await stripeForm('/v1/subscriptions', form);
    expect(subscription.status).toBe(200);
    expect(subscription.headers.get('request-id')).toMatch(/^req_/);
    expect(subscription.body).toMatchObject({
      object: 'subscription',
      customer: customer.body.id,
      status: 'active',
      metadata: { accountId: 'acc_9' },
      items: { object: 'list', data: [{ object: 'subscription_item', price: { id: 'price_a', object: 'price' }, quantity: 3 }] },
    });
    expect(subscription.body.created).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));

    const itemId = subscription.body.items.data[0].id;
    const item = await stripeForm(`/v1/subscription_items/${itemId}`, 'quantity=5&proration_behavior=none');
    expect(item.body).toMatchObject({ id: itemId, object: 'subscription_item', quantity: 5 });
    const state = await simFetch<SimulatorStateDump>(`${sim.url}/_sim/state`);
    expect(state.body.stripe.subscriptions[0].quantity).toBe(5);
  });

  it('answers Stripe validation errors with code and param', async () => {
    const missing = await stripeForm('/v1/subscriptions', 'customer=cus_nope');
    expect(missing).toMatchObject({ status: 400, body: { error: { type: 'invalid_request_error', code: 'parameter_missing', param: 'items' } } });
    const unknown = await stripeForm('/v1/subscriptions', 'customer=cus_nope&items[0][price]=p');
    expect(unknown.body.error).toMatchObject({ code: 'resource_missing', param: 'customer' });
    const badQuantity = await stripeForm('/v1/customers', 'name=x');
    const sub = await stripeForm('/v1/subscriptions', `customer=${badQuantity.body.id}&items[0][price]=p&items[0][quantity]=two`);
    expect(sub.body.error).toMatchObject({ code: 'parameter_invalid_integer', param: 'items[0][quantity]' });
  });

  it('replays an idempotent Stripe POST and rejects the key with another body', async () => {
    const first = await stripeForm('/v1/customers', 'name=Once', { 'idempotency-key': 'k1' });
    const replay = await stripeForm('/v1/customers', 'name=Once', { 'idempotency-key': 'k1' });
    const other = await stripeForm('/v1/customers', 'name=Twice', { 'idempotency-key': 'k1' });

    expect(replay.body.id).toBe(first.body.id);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(other).toMatchObject({ status: 400, body: { error: { type: 'idempotency_error' } } });
    const state = await simFetch<SimulatorStateDump>(`${sim.url}/_sim/state`);
    expect(state.body.stripe.customers).toHaveLength(1);
  });

  it('checks credentials in each provider’s error shape', async () => {
    await expect(simFetch(`${sim.url}/v1/customers/cus_x`)).resolves.toMatchObject({
      status: 401,
      body: { error: { type: 'invalid_request_error' } },
    });
    await expect(simFetch(`${sim.url}/v2/phone_numbers/1`)).resolves.toMatchObject({
      status: 401,
      body: { errors: [{ code: '10009' }] },
    });
  });

  it('answers unknown routes in each provider’s error shape', async () => {
    const stripe = await simFetch(`${sim.url}/v1/nothing`, { headers: STRIPE_AUTH });
    expect(stripe).toMatchObject({ status: 404, body: { error: { type: 'invalid_request_error' } } });
    const telnyx = await simFetch(`${sim.url}/v2/nothing`, { headers: { authorization: 'Bearer KEY' } });
    expect(telnyx).toMatchObject({ status: 404, body: { errors: [{ code: '10005' }] } });
  });

  it('delays a call by a delay fault, once', async () => {
    await simFetch(`${sim.url}/_sim/faults`, { body: { provider: 'stripe', method: 'GET', path: '*', action: 'delay', delayMs: 300 } });
    let started = Date.now();
    await simFetch(`${sim.url}/v1/customers/cus_x`, { headers: STRIPE_AUTH });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    started = Date.now();
    await simFetch(`${sim.url}/v1/customers/cus_x`, { headers: STRIPE_AUTH });
    expect(Date.now() - started).toBeLessThan(250);
  });

  it('runs a call at once and holds its answer by a delay-answer fault, once', async () => {
    await simFetch(`${sim.url}/_sim/faults`, { body: { provider: 'stripe', method: 'POST', path: '/v1/customers', action: 'delay-answer', delayMs: 400 } });
    const started = Date.now();
    const answer = stripeForm('/v1/customers', 'name=Held');
    // The customer exists while its answer is still held.
    await new Promise((resolve) => setTimeout(resolve, 150));
    const created = (await simFetch<SimulatorStateDump>(`${sim.url}/_sim/state`)).body.stripe.customers.find((c) => c.name === 'Held');
    expect(Date.now() - started).toBeLessThan(350);
    await expect(answer).resolves.toMatchObject({ status: 200, body: { id: created?.id } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    const next = Date.now();
    await stripeForm('/v1/customers', 'name=Quick');
    expect(Date.now() - next).toBeLessThan(250);
  });

  it('logs a call that took effect after its caller hung up', async () => {
    const id = '4000000000000000077';
    expect((await simFetch(`${sim.url}/_sim/telnyx/numbers`, { body: { id, phoneNumber: '+15550007777' } })).status).toBe(201);
    await simFetch(`${sim.url}/_sim/faults`, { body: { provider: 'telnyx', method: 'DELETE', path: '*', action: 'delay', delayMs: 300 } });
    // The caller gives up (as a killed worker does) while the call waits; the call still runs.
    const abandoned = fetch(`${sim.url}/v2/phone_numbers/${id}`, { method: 'DELETE', headers: { authorization: 'Bearer KEY' }, signal: AbortSignal.timeout(100) });
    await expect(abandoned).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 400));
    const state = (await simFetch<SimulatorStateDump>(`${sim.url}/_sim/state`)).body;
    expect(state.telnyx.numbers.find((n) => n.id === id)?.status).toBe('deleted');
    expect(state.requests.telnyx.filter((r) => r.method === 'DELETE')).toEqual([expect.objectContaining({ path: `/v2/phone_numbers/${id}`, status: 200 })]);
  });

  it('matches faults by provider and method, lists and clears them', async () => {
    await simFetch(`${sim.url}/_sim/faults`, { body: { provider: 'telnyx', method: 'DELETE', path: '*', action: 'fail', times: 5 } });
    const get = await simFetch(`${sim.url}/v1/customers/cus_x`, { headers: STRIPE_AUTH });
    expect(get.status).toBe(404);
    const listed = await simFetch<{ faults: { remaining: number }[] }>(`${sim.url}/_sim/faults`);
    expect(listed.body.faults).toEqual([expect.objectContaining({ provider: 'telnyx', remaining: 5 })]);
    await simFetch(`${sim.url}/_sim/faults`, { method: 'DELETE' });
    expect((await simFetch<{ faults: unknown[] }>(`${sim.url}/_sim/faults`)).body.faults).toEqual([]);
  });

  it('rejects malformed control input with a message naming the field', async () => {
    const bad = await simFetch<{ error: string }>(`${sim.url}/_sim/faults`, { body: { provider: 'paypal', path: '*', action: 'fail' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain('provider');
    const noDelay = await simFetch<{ error: string }>(`${sim.url}/_sim/faults`, { body: { provider: 'meta', path: '*', action: 'delay' } });
    expect(noDelay.body.error).toContain('delayMs');
    const duplicate = { phoneNumber: '+15551112222' };
    expect((await simFetch(`${sim.url}/_sim/telnyx/numbers`, { body: duplicate })).status).toBe(201);
    expect((await simFetch(`${sim.url}/_sim/telnyx/numbers`, { body: duplicate })).status).toBe(409);
  });

  it('resets every store', async () => {
    await stripeForm('/v1/customers', 'name=Gone');
    await simFetch(`${sim.url}/_sim/meta/numbers`, { body: { displayPhoneNumber: '+1 555' } });
    await simFetch(`${sim.url}/_sim/faults`, { body: { provider: 'meta', path: '*', action: 'fail' } });
    await simFetch(`${sim.url}/_sim/reset`, { method: 'POST' });
    const { body } = await simFetch<SimulatorStateDump>(`${sim.url}/_sim/state`);
    expect(body.stripe.customers).toEqual([]);
    expect(body.meta.numbers).toEqual([]);
    expect(body.faults).toEqual([]);
    expect(body.requests.stripe).toEqual([]);
  });
});
