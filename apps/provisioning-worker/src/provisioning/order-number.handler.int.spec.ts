import type { WebhookEventRef } from '@numbers/contracts';
import { newId } from '@numbers/domain';
import type { JobContext } from '@numbers/messaging';
import { Database, PersistenceModule, ProvisioningNumberRepository, RegulatoryCaseRepository, type NumberType } from '@numbers/persistence';
import { CARRIER_GATEWAY, ProviderError, type CarrierGateway } from '@numbers/providers';
import { createTestAccount, eventJob, startHandlerTestBed, storedEvent, type HandlerTestBed, type SimulatorProcess, type WebhookCapture } from '@numbers/test-support';
import { setOrderCompletionDelay } from '../testing/carrier-orders';
import { NumberOrderCompleteEventHandler } from './number-order-complete.event-handler';
import { MAX_CARRIER_ORDERS, NumberOrderSettlement } from './number-order-settlement';
import { OrderNumberHandler } from './order-number.handler';
import { ProvisioningFailure } from './provisioning-failure';
import { CARRIER_KYC_PROVIDERS } from './carrier-kyc-references';
import { RegulatoryReview } from './regulatory-review';
import { CarrierOrderPlacement } from './carrier-order-placement';

jest.setTimeout(60_000);

interface SimOrder {
  id: string;
  status: string;
  customerReference: string | null;
  phoneNumbers: { phoneNumber: string; status: string }[];
}
interface SimState {
  telnyx: { orders: SimOrder[]; numbers: { id: string; phoneNumber: string; status: string }[] };
  requests: { telnyx: { method: string; path: string; status: number; idempotencyKey: string | null; replayed: boolean }[] };
}

/**
 * Integration: ordering a number (`order-number`) and the carrier's `number_order.complete`,
 * against a real database of this file and the provider simulator, whose signed webhooks come
 * to a stand-in for the gateway.
 */
describe('OrderNumberHandler and NumberOrderCompleteEventHandler', () => {
  let bed: HandlerTestBed<true>;
  let capture: WebhookCapture;
  let sim: SimulatorProcess;
  let db: Database;
  let handler: OrderNumberHandler;
  let completion: NumberOrderCompleteEventHandler;
  let carrier: CarrierGateway;
  let accountId: string;
  let profileId: string;

  beforeAll(async () => {
    bed = await startHandlerTestBed({
      imports: [PersistenceModule],
      providers: [ProvisioningNumberRepository, ProvisioningFailure, OrderNumberHandler, NumberOrderSettlement, CarrierOrderPlacement, NumberOrderCompleteEventHandler, RegulatoryCaseRepository, RegulatoryReview, ...CARRIER_KYC_PROVIDERS],
      captureWebhooks: true,
    });
    ({ sim, capture } = bed);
    db = bed.moduleRef.get(Database);
    handler = bed.moduleRef.get(OrderNumberHandler);
    completion = bed.moduleRef.get(NumberOrderCompleteEventHandler);
    carrier = bed.moduleRef.get<CarrierGateway>(CARRIER_GATEWAY);
    ({ accountId, profileId } = await createTestAccount(db));
  });

  afterAll(() => bed?.stop());

  afterEach(async () => {
    await sim.delete('/_sim/faults');
    await sim.post('/_sim/webhooks/drain', {});
  });

  /** A paid number waiting for its carrier order. */
  async function provisioningNumber(input: { country?: string; numberType?: NumberType; phoneNumber?: string } = {}): Promise<string> {
    const id = newId();
    await db
      .insertInto('phoneNumbers')
      .values({
        id,
        accountId,
        profileId,
        country: input.country ?? 'US',
        numberType: input.numberType ?? 'local',
        phoneNumber: input.phoneNumber ?? null,
        status: 'provisioning',
        paidFirst: true,
        monthlyCents: 300,
      })
      .execute();
    return id;
  }

  function storedNumber(id: string) {
    return db.selectFrom('phoneNumbers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }

  function ctx(jobId: string, attempt = 1): JobContext {
    return { jobId, name: 'order-number', queue: 'provisioning', attempt, maxAttempts: 10 };
  }

  async function complete(ref: WebhookEventRef<'telnyx'>) {
    return db.transaction().execute((tx) => completion.handle(storedEvent(ref), { tx, cause: `webhook:telnyx:${ref.eventId}`, job: eventJob('process-telnyx-event.1') }));
  }

  function orderCompleted(numberId: string): Promise<WebhookEventRef<'telnyx'>> {
    return capture.next('telnyx', (e) => e.eventType === 'number_order.complete' && e.payload.payload['customer_reference'] === numberId);
  }

  function simState(): Promise<SimState> {
    return sim.get<SimState>('/_sim/state');
  }

  it('orders the first number the carrier offers, once however often it runs; the completion makes the number verifying', async () => {
    // The carrier fulfils orders half a second after answering: the job sees them pending.
    await setOrderCompletionDelay(sim, 500);
    const id = await provisioningNumber();

    const first = await handler.handle({ numberId: id }, ctx('order-number.11'));
    expect(first).toMatchObject({ outcome: 'pending' });
    const second = await handler.handle({ numberId: id }, ctx('order-number.11'));
    expect(second).toMatchObject({ outcome: 'pending' });

    const stored = await storedNumber(id);
    expect(stored.status).toBe('provisioning');
    const state = await simState();
    const orders = state.telnyx.orders.filter((o) => o.customerReference === id);
    expect(orders).toHaveLength(1);
    expect(stored.telnyxOrderId).toBe(orders[0].id);
    const creates = state.requests.telnyx.filter((r) => r.method === 'POST' && r.path === '/v2/number_orders');
    expect(creates.map((r) => r.idempotencyKey)).toEqual([`order-${id}`]);

    const event = await orderCompleted(id);
    await expect(complete(event)).resolves.toMatchObject({ outcome: 'applied' });
    const ordered = await storedNumber(id);
    const held = (await simState()).telnyx.numbers.find((n) => n.phoneNumber === orders[0].phoneNumbers[0].phoneNumber);
    // Settled from the signed event alone, nothing asked of the carrier in its transaction: the
    // carrier's id of the number is looked up by register-whatsapp.
    expect(ordered).toMatchObject({ status: 'verifying', phoneNumber: held?.phoneNumber, telnyxNumberId: null, telnyxOrderId: orders[0].id });
    expect(ordered.provisionedAt).toBeInstanceOf(Date);
    const outbox = await db.selectFrom('outbox').selectAll().where('kind', '=', 'job').where('name', '=', 'register-whatsapp').execute();
    expect(outbox.map((o) => o.payload)).toContainEqual({ numberId: id });

    // The same event again, and the job again: recorded, nothing moves, nothing is ordered.
    await expect(complete(event)).resolves.toMatchObject({ outcome: 'ignored' });
    await expect(handler.handle({ numberId: id }, ctx('order-number.12'))).resolves.toEqual({ outcome: 'skipped', reason: 'number is verifying' });
    const history = await db.selectFrom('numberStatusHistory').selectAll().where('numberId', '=', id).where('event', '=', 'number_ordered').execute();
    expect(history.map((h) => h.applied)).toEqual([true, false]);
    expect(history[0]).toMatchObject({ actor: 'telnyx', cause: `webhook:telnyx:${event.eventId}` });
    expect((await simState()).telnyx.orders.filter((o) => o.customerReference === id)).toHaveLength(1);
    await setOrderCompletionDelay(sim, 0);
  });

  it('orders another number when the one it picked was taken by an order of the same moment, a few times at most', async () => {
    await setOrderCompletionDelay(sim, 500);
    const lost = await provisioningNumber();
    await expect(handler.handle({ numberId: lost }, ctx('order-number.51'))).resolves.toMatchObject({ outcome: 'pending' });
    const [placed] = (await simState()).telnyx.orders.filter((o) => o.customerReference === lost);
    const taken = placed.phoneNumbers[0].phoneNumber;
    // Another order for the same number, pending when ours completes: ours fails, the number taken.
    await carrier.orderNumber({ phoneNumber: taken, customerReference: newId() }, `order-elsewhere-${lost}`);
    const done = await orderCompleted(lost);
    expect(done.payload.payload['status']).toBe('failure');
    await expect(complete(done)).resolves.toMatchObject({ outcome: 'applied' });

    expect(await storedNumber(lost)).toMatchObject({ status: 'provisioning', carrierOrders: 1 });
    const again = await db.selectFrom('outbox').selectAll().where('kind', '=', 'job').where('name', '=', 'order-number').execute();
    expect(again.map((o) => o.payload)).toContainEqual({ numberId: lost });

    // The job that follows picks another number under a new key, and its order completes.
    await expect(handler.handle({ numberId: lost }, ctx('order-number.53'))).resolves.toMatchObject({ outcome: 'pending' });
    const { telnyxOrderId: second } = await storedNumber(lost);
    expect(second).not.toBe(placed.id);
    await complete(await capture.next('telnyx', (e) => e.eventType === 'number_order.complete' && e.payload.payload['id'] === second));
    const reordered = await storedNumber(lost);
    expect(reordered).toMatchObject({ status: 'verifying', carrierOrders: 2 });
    expect(reordered.phoneNumber).not.toBe(taken);
    const creates = (await simState()).requests.telnyx.filter((r) => r.method === 'POST' && r.path === '/v2/number_orders');
    expect(creates.map((r) => r.idempotencyKey)).toEqual(expect.arrayContaining([`order-${lost}`, `order-${lost}-2`]));

    // After MAX_CARRIER_ORDERS failed orders the number ends with the carrier's reason.
    const c = await provisioningNumber();
    // updatedAt too, as every write of the row keeps it current.
    await db.updateTable('phoneNumbers').set({ carrierOrders: MAX_CARRIER_ORDERS, updatedAt: new Date() }).where('id', '=', c).execute();
    const failed = { orderId: 'order-that-failed', status: 'failure' as const, customerReference: c, phoneNumbers: [{ id: null, phoneNumber: '+15550000000', status: 'failure' as const, failureReason: 'taken' }] };
    const settled = await bed.moduleRef.get(NumberOrderSettlement).settle(await storedNumber(c), failed, { cause: 'test', actor: 'system' });
    expect(settled).toMatchObject({ outcome: 'failed', applied: true });
    await setOrderCompletionDelay(sim, 0);
  });

  it('orders the exact number the customer chose; a job that runs after the order completed settles it itself', async () => {
    const [wanted] = await carrier.searchAvailableNumbers({ country: 'CA', limit: 1 });
    const id = await provisioningNumber({ country: 'CA', phoneNumber: wanted.phoneNumber });
    await handler.handle({ numberId: id }, ctx('order-number.21'));
    await orderCompleted(id);

    // A re-run (the completion event was not processed yet) reads the order back and settles it.
    await expect(handler.handle({ numberId: id }, ctx('order-number.21'))).resolves.toMatchObject({ outcome: 'ordered', applied: true, phoneNumber: wanted.phoneNumber });
    const stored = await storedNumber(id);
    expect(stored).toMatchObject({ status: 'verifying', phoneNumber: wanted.phoneNumber });
    const orders = (await simState()).telnyx.orders.filter((o) => o.customerReference === id);
    expect(orders.map((o) => o.phoneNumbers.map((l) => l.phoneNumber))).toEqual([[wanted.phoneNumber]]);
  });

  it('ends a number whose country has no inventory, with the reason stored', async () => {
    await sim.post('/_sim/telnyx/countries/CA/unavailable', {});
    const id = await provisioningNumber({ country: 'CA' });
    await expect(handler.handle({ numberId: id }, ctx('order-number.31'))).resolves.toMatchObject({ outcome: 'failed', applied: true });
    const stored = await storedNumber(id);
    expect(stored).toMatchObject({ status: 'releasing', failureReason: 'no local numbers available in CA', telnyxOrderId: null });
    // The lifecycle releases it and takes its paid-first slot out of the subscription.
    const jobs = await db.selectFrom('outbox').selectAll().where('kind', '=', 'job').orderBy('id').execute();
    const mine = jobs.filter((j) => JSON.stringify(j.payload).includes(id));
    expect(mine.map((j) => j.name)).toEqual(['release-number', 'sync-subscription-quantity']);
    await sim.post('/_sim/telnyx/countries/CA/available', {});
  });

  it('ends a number whose order the carrier fails, with the carrier\'s reason', async () => {
    const [taken] = await carrier.searchAvailableNumbers({ country: 'GB', numberType: 'mobile', limit: 1 });
    await sim.post('/_sim/telnyx/numbers', { phoneNumber: taken.phoneNumber }); // someone else bought it meanwhile
    const id = await provisioningNumber({ country: 'GB', numberType: 'mobile', phoneNumber: taken.phoneNumber });
    const placed = await handler.handle({ numberId: id }, ctx('order-number.41'));
    const event = await orderCompleted(id);
    const settled = placed.outcome === 'failed' ? placed : await complete(event);
    expect(settled).toMatchObject(placed.outcome === 'failed' ? { applied: true } : { outcome: 'applied' });
    const stored = await storedNumber(id);
    expect(stored.status).toBe('releasing');
    expect(stored.failureReason).toMatch(new RegExp(`^carrier order ${stored.telnyxOrderId} failed: .+`));
  });

  it('lets a carrier failure throw to be retried, and ends the number when the last attempt fails too', async () => {
    const id = await provisioningNumber();
    // The SDK retries 5xx twice itself: three failures reach the handler.
    await sim.post('/_sim/faults', { provider: 'telnyx', method: 'POST', path: '/v2/number_orders', action: 'fail', status: 503, times: 3 });
    const failure = handler.handle({ numberId: id }, ctx('order-number.51'));
    await expect(failure).rejects.toBeInstanceOf(ProviderError);
    await expect(failure).rejects.toMatchObject({ retryable: true });
    expect(await storedNumber(id)).toMatchObject({ status: 'provisioning', telnyxOrderId: null });

    // The retry orders it.
    await expect(handler.handle({ numberId: id }, ctx('order-number.51', 2))).resolves.toMatchObject({ outcome: expect.stringMatching(/pending|ordered/) });
    expect((await simState()).telnyx.orders.filter((o) => o.customerReference === id)).toHaveLength(1);

    const last = await provisioningNumber();
    await sim.post('/_sim/faults', { provider: 'telnyx', method: 'POST', path: '/v2/number_orders', action: 'fail', status: 503, times: 3 });
    await expect(handler.handle({ numberId: last }, ctx('order-number.52', 10))).resolves.toMatchObject({ outcome: 'failed', applied: true });
    const stored = await storedNumber(last);
    expect(stored.status).toBe('releasing');
    expect(stored.failureReason).toMatch(/^carrier refused the order: telnyx numberOrders.create failed: 503/);
  });

  it('ignores a completion for an order that is not ours', async () => {
    const ref: WebhookEventRef<'telnyx'> = {
      provider: 'telnyx',
      eventId: 'a0b1c2d3-0000-4000-8000-000000000001',
      eventType: 'number_order.complete',
      payload: { id: 'a0b1c2d3-0000-4000-8000-000000000001', event_type: 'number_order.complete', payload: { id: 'someone-elses-order', customer_reference: 'not-ours' } },
    };
    await expect(complete(ref)).resolves.toEqual({ outcome: 'ignored', detail: 'order someone-elses-order is not for one of our numbers' });
  });
});
