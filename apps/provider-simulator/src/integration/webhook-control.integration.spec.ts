import Stripe from 'stripe';
import Telnyx from 'telnyx';
import type { SimulatorStateDump } from '../control/state-dump';
import { simFetch, startSimulator, type RunningSimulator } from '../testing/simulator-test-harness';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver';

describe('webhooks through the control API', () => {
  let receiver: WebhookReceiver;
  let sim: RunningSimulator;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    sim = await startSimulator({ SIMULATOR_WEBHOOK_TARGET: receiver.url }, { webhookRetry: { baseDelayMs: 10 } });
  });
  afterAll(async () => {
    await sim.close();
    await receiver.close();
  });
  beforeEach(() => {
    receiver.received.length = 0;
  });

  it('sends a signed Stripe event that the stripe SDK verifies, duplicated per policy', async () => {
    await simFetch(`${sim.url}/_sim/webhooks/policy`, { method: 'PUT', body: { copies: 2 } });
    const event = { id: 'evt_ctrl', object: 'event', type: 'checkout.session.completed', data: { object: {} } };

    const { status, body } = await simFetch<{ deliveries: { delivered: boolean }[] }>(`${sim.url}/_sim/webhooks/deliveries`, {
      body: { provider: 'stripe', event },
    });

    expect(status).toBe(200);
    expect(body.deliveries).toEqual([expect.objectContaining({ delivered: true }), expect.objectContaining({ delivered: true })]);
    expect(receiver.received).toHaveLength(2);
    const stripe = new Stripe('sk_test_x');
    for (const received of receiver.received) {
      expect(received.path).toBe('/webhooks/stripe');
      const verified = stripe.webhooks.constructEvent(received.body, String(received.headers['stripe-signature']), sim.config.STRIPE_WEBHOOK_SECRET);
      expect(verified.id).toBe('evt_ctrl');
    }
    await simFetch(`${sim.url}/_sim/webhooks/policy`, { method: 'PUT', body: { copies: 1 } });
  });

  it('sends a Telnyx event the telnyx SDK verifies, and records every delivery in the state', async () => {
    await simFetch(`${sim.url}/_sim/webhooks/deliveries`, {
      body: { provider: 'telnyx', event: { data: { id: 'tx_1', event_type: 'message.received', payload: {} } } },
    });
    const [received] = receiver.received;
    const headers = { 'telnyx-signature-ed25519': String(received.headers['telnyx-signature-ed25519']), 'telnyx-timestamp': String(received.headers['telnyx-timestamp']) };
    const telnyx = new Telnyx({ apiKey: 'KEY_x', clientID: null, clientSecret: null });
    await expect(telnyx.webhooks.unwrap(received.body, { headers, key: sim.telnyxPublicKey })).resolves.toMatchObject({
      data: { id: 'tx_1' },
    });

    const state = await simFetch<SimulatorStateDump>(`${sim.url}/_sim/state`);
    expect(state.body.webhooks.deliveries.map((d) => d.provider)).toEqual(['stripe', 'stripe', 'telnyx']);
  });

  it('refuses a delivery request with neither event nor events', async () => {
    const { status } = await simFetch(`${sim.url}/_sim/webhooks/deliveries`, { body: { provider: 'meta' } });
    expect(status).toBe(400);
  });
});
