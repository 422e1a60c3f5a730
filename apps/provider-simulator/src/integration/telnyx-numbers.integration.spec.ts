import { createTelnyxClient, TelnyxSdkCarrierGateway, type CarrierGateway } from '@numbers/providers';
import { isTelnyxEvent, verifiedTelnyxEvents } from '../testing/provider-webhooks';
import { appConfigFor, simFetch, startSimulator, type RunningSimulator } from '../testing/simulator-test-harness';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver';

/** Inventory search, number orders and inbound SMS through the real telnyx SDK; webhooks verified with its unwrap. */
describe('Telnyx numbers against the simulator', () => {
  let receiver: WebhookReceiver;
  let sim: RunningSimulator;
  let carrier: CarrierGateway;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    sim = await startSimulator({ SIMULATOR_WEBHOOK_TARGET: receiver.url }, { webhookRetry: { baseDelayMs: 10 } });
    const config = appConfigFor(sim.url, sim.telnyxPublicKey);
    carrier = new TelnyxSdkCarrierGateway(createTelnyxClient(config.telnyx), { connectionId: 'conn_1', messagingProfileId: 'mp_1' });
  });
  afterAll(async () => {
    await sim.close();
    await receiver.close();
  });
  beforeEach(async () => {
    await simFetch(`${sim.url}/_sim/reset`, { method: 'POST' });
    receiver.received.length = 0;
  });

  const orderCompleted = (reference: string) =>
    receiver.waitFor(isTelnyxEvent('number_order.complete', (payload) => payload.customer_reference === reference));

  it('searches a deterministic per-country inventory by area code, digits, locality and type, a new page each call', async () => {
    const ny = await carrier.searchAvailableNumbers({ country: 'US', areaCode: '212', limit: 5 });
    expect(ny).toHaveLength(5);
    for (const number of ny) {
      expect(number).toMatchObject({ phoneNumber: expect.stringMatching(/^\+1212[2-9]\d{6}$/), country: 'US', locality: 'New York', region: 'NY' });
      expect(number.features).toEqual(expect.arrayContaining(['sms', 'voice']));
      expect(number).toMatchObject({ monthlyCost: '1.00', currency: 'USD' });
    }
    const next = await carrier.searchAvailableNumbers({ country: 'us', areaCode: '212', limit: 5 });
    expect(next.map((n) => n.phoneNumber)).not.toEqual(ny.map((n) => n.phoneNumber)); // the next page, as Telnyx varies results
    await simFetch(`${sim.url}/_sim/reset`, { method: 'POST' });
    await expect(carrier.searchAvailableNumbers({ country: 'US', areaCode: '212', limit: 5 })).resolves.toEqual(ny); // repeatable per run

    const digits = ny[0].phoneNumber.slice(-4);
    const contains = await carrier.searchAvailableNumbers({ country: 'US', contains: digits });
    expect(contains.map((n) => n.phoneNumber)).toContain(ny[0].phoneNumber);
    expect(contains.every((n) => n.phoneNumber.includes(digits))).toBe(true);

    const london = await carrier.searchAvailableNumbers({ country: 'GB', locality: 'london', limit: 3 });
    expect(london.map((n) => n.phoneNumber)).toEqual([expect.stringMatching(/^\+4420\d{8}$/), expect.anything(), expect.anything()]);
    const tollFree = await carrier.searchAvailableNumbers({ country: 'US', numberType: 'toll_free', limit: 100 });
    expect(tollFree.length).toBeGreaterThan(10);
    expect(tollFree.every((n) => n.phoneNumber.startsWith('+1888'))).toBe(true);
    await expect(carrier.searchAvailableNumbers({ country: 'JP' })).resolves.toEqual([]);
  });

  it('empties and restores a country through the control API', async () => {
    await simFetch(`${sim.url}/_sim/telnyx/countries/de/unavailable`, { method: 'POST' });
    await expect(carrier.searchAvailableNumbers({ country: 'DE' })).resolves.toEqual([]);
    await simFetch(`${sim.url}/_sim/telnyx/countries/DE/available`, { method: 'POST' });
    await expect(carrier.searchAvailableNumbers({ country: 'DE', limit: 2 })).resolves.toHaveLength(2);
  });

  it('orders a number: pending, then success with the number on the account and a signed number_order.complete', async () => {
    const [offer] = await carrier.searchAvailableNumbers({ country: 'US', areaCode: '415', limit: 1 });

    const order = await carrier.orderNumber({ phoneNumber: offer.phoneNumber, customerReference: 'num_a' }, 'order-a');

    expect(order).toMatchObject({ orderId: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'pending', customerReference: 'num_a' });
    expect(order.phoneNumbers).toEqual([expect.objectContaining({ phoneNumber: offer.phoneNumber, status: 'pending' })]);
    await orderCompleted('num_a');
    const [event] = await verifiedTelnyxEvents(receiver.received, sim.telnyxPublicKey);
    expect(event).toMatchObject({
      data: { event_type: 'number_order.complete', record_type: 'event', payload: { id: order.orderId, status: 'success', connection_id: 'conn_1', messaging_profile_id: 'mp_1' } },
      meta: { attempt: 1, delivered_to: `${receiver.url}/webhooks/telnyx` },
    });
    await expect(carrier.getNumberOrder(order.orderId)).resolves.toMatchObject({ status: 'success', phoneNumbers: [{ status: 'success', failureReason: null }] });
    const held = await carrier.findNumberByPhoneNumber(offer.phoneNumber);
    expect(held).toMatchObject({ phoneNumber: offer.phoneNumber, status: 'active', country: 'US', id: expect.stringMatching(/^\d{19}$/) });
    await expect(carrier.getNumber(held?.id as string)).resolves.toEqual(held);
    const again = await carrier.searchAvailableNumbers({ country: 'US', contains: offer.phoneNumber.slice(1) });
    expect(again).toEqual([]);
  });

  it('never orders twice for one customer reference: same key replays, a new key finds the first order', async () => {
    const [offer] = await carrier.searchAvailableNumbers({ country: 'CA', limit: 1 });
    const first = await carrier.orderNumber({ phoneNumber: offer.phoneNumber, customerReference: 'num_b' }, 'order-b');

    await expect(carrier.orderNumber({ phoneNumber: offer.phoneNumber, customerReference: 'num_b' }, 'order-b')).resolves.toMatchObject({ orderId: first.orderId });
    await orderCompleted('num_b');
    await expect(carrier.orderNumber({ phoneNumber: offer.phoneNumber, customerReference: 'num_b' }, 'order-b-retry')).resolves.toMatchObject({
      orderId: first.orderId,
      status: 'success',
    });
    // Without the adapter's look-up, the simulator itself answers the existing order.
    const raw = await simFetch<{ data: { id: string } }>(`${sim.url}/v2/number_orders`, {
      headers: { authorization: 'Bearer KEY_x' },
      body: { phone_numbers: [{ phone_number: offer.phoneNumber }], customer_reference: 'num_b' },
    });
    expect(raw.body.data.id).toBe(first.orderId);
    const { body } = await simFetch<{ telnyx: { orders: unknown[]; numbers: unknown[] } }>(`${sim.url}/_sim/state`);
    expect(body.telnyx.orders).toHaveLength(1);
    expect(body.telnyx.numbers).toHaveLength(1);
  });

  it('fails an order for a number already taken, with a reason', async () => {
    const [offer] = await carrier.searchAvailableNumbers({ country: 'CA', limit: 1 });
    await carrier.orderNumber({ phoneNumber: offer.phoneNumber, customerReference: 'num_c1' }, 'order-c1');
    await orderCompleted('num_c1');

    const second = await carrier.orderNumber({ phoneNumber: offer.phoneNumber, customerReference: 'num_c2' }, 'order-c2');
    await orderCompleted('num_c2');

    const failed = await carrier.getNumberOrder(second.orderId);
    expect(failed).toMatchObject({ status: 'failure', phoneNumbers: [{ status: 'failure', failureReason: expect.stringContaining('taken') }] });
  });

  it('completes orders after the configured delay', async () => {
    await simFetch(`${sim.url}/_sim/telnyx/number-orders/policy`, { method: 'PUT', body: { completionDelayMs: 300 } });
    const [offer] = await carrier.searchAvailableNumbers({ country: 'GB', limit: 1 });
    const order = await carrier.orderNumber({ phoneNumber: offer.phoneNumber, customerReference: 'num_d' }, 'order-d');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(carrier.getNumberOrder(order.orderId)).resolves.toMatchObject({ status: 'pending' });
    await orderCompleted('num_d');
    await expect(carrier.getNumberOrder(order.orderId)).resolves.toMatchObject({ status: 'success' });
  });

  it('answers null for an unknown order, and refuses a malformed number', async () => {
    await expect(carrier.getNumberOrder('6a09cdc3-8948-47f0-aa62-74ac943d6c58')).resolves.toBeNull();
    await expect(carrier.orderNumber({ phoneNumber: '555', customerReference: 'num_e' }, 'order-e')).rejects.toMatchObject({
      provider: 'telnyx',
      status: 422,
      retryable: false,
    });
  });

  it('delivers an inbound SMS to one of our numbers as a signed message.received', async () => {
    const [offer] = await carrier.searchAvailableNumbers({ country: 'US', limit: 1 });
    await carrier.orderNumber({ phoneNumber: offer.phoneNumber, customerReference: 'num_f' }, 'order-f');
    await orderCompleted('num_f');

    const sent = await simFetch(`${sim.url}/_sim/telnyx/messages/inbound`, { body: { to: offer.phoneNumber, from: '+15557654321', text: 'hello' } });
    expect(sent.status).toBe(202);
    await receiver.waitFor(isTelnyxEvent('message.received'));
    const events = await verifiedTelnyxEvents(receiver.received, sim.telnyxPublicKey);
    expect(events.find((e) => e.data.event_type === 'message.received')?.data.payload).toMatchObject({
      id: expect.any(String),
      direction: 'inbound',
      to: [{ phone_number: offer.phoneNumber }],
      from: { phone_number: '+15557654321' },
      text: 'hello',
      messaging_profile_id: 'mp_1',
    });
    const notOurs = await simFetch(`${sim.url}/_sim/telnyx/messages/inbound`, { body: { to: '+15550000000', from: '+15557654321', text: 'x' } });
    expect(notOurs.status).toBe(404);
  });
});
