import { newId } from '@numbers/domain';
import type { JobContext } from '@numbers/messaging';
import { Database, NumberLifecycle, PersistenceModule } from '@numbers/persistence';
import { CARRIER_GATEWAY, ProviderError, type CarrierGateway } from '@numbers/providers';
import { countOf, createTestAccount, eventually, startHandlerTestBed, type HandlerTestBed, type SimulatorProcess, type SimulatorState } from '@numbers/test-support';
import { CarrierOrderPlacement } from './carrier-order-placement';
import { ReleaseNumberHandler } from './release-number.handler';

jest.setTimeout(60_000);

/** Integration: the handler against a real database of this file and the provider simulator. */
describe('ReleaseNumberHandler', () => {
  let bed: HandlerTestBed;
  let sim: SimulatorProcess;
  let db: Database;
  let handler: ReleaseNumberHandler;
  let accountId: string;
  let profileId: string;
  let seq = 0;

  beforeAll(async () => {
    bed = await startHandlerTestBed({
      imports: [PersistenceModule],
      providers: [ReleaseNumberHandler, CarrierOrderPlacement],
    });
    ({ sim } = bed);
    db = bed.moduleRef.get(Database);
    handler = bed.moduleRef.get(ReleaseNumberHandler);
    ({ accountId, profileId } = await createTestAccount(db, { planCode: 'growth' }));
  });

  afterAll(() => bed?.stop());

  /** A number that exists at the carrier and at Meta, active, then asked to be released. */
  async function releasingNumber(): Promise<{ id: string; telnyxId: string; metaId: string }> {
    seq++;
    const telnyxId = `40000000000000${String(seq).padStart(5, '0')}`;
    const metaId = `5000000000${String(seq).padStart(5, '0')}`;
    const phone = `+1555010${String(seq).padStart(4, '0')}`;
    await sim.post('/_sim/telnyx/numbers', { id: telnyxId, phoneNumber: phone });
    await sim.post('/_sim/meta/numbers', { id: metaId, displayPhoneNumber: phone, registered: true });
    const id = newId();
    await db
      .insertInto('phoneNumbers')
      .values({ id, accountId, profileId, phoneNumber: phone, country: 'US', status: 'active', monthlyCents: 300, telnyxNumberId: telnyxId, metaPhoneNumberId: metaId })
      .execute();
    await bed.moduleRef.get(NumberLifecycle).apply(id, 'release_requested', { cause: 'test', actor: 'customer' });
    return { id, telnyxId, metaId };
  }

  function numberRow(id: string) {
    return db.selectFrom('phoneNumbers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }

  function ctx(jobId: string): JobContext {
    return { jobId, name: 'release-number', queue: 'provisioning', attempt: 1, maxAttempts: 10 };
  }

  function simState(): Promise<SimulatorState> {
    return sim.get<SimulatorState>('/_sim/state');
  }

  it('deregisters at Meta, deletes at the carrier, and marks the number released', async () => {
    const number = await releasingNumber();
    await expect(handler.handle({ numberId: number.id }, ctx('release-number.101'))).resolves.toEqual({ released: true });

    const state = await simState();
    expect(state.meta.numbers.find((n) => n.id === number.metaId)?.registered).toBe(false);
    expect(state.telnyx.numbers.find((n) => n.id === number.telnyxId)?.status).toBe('deleted');
    const release = state.requests.telnyx.filter((r) => r.method === 'DELETE' && r.path.endsWith(number.telnyxId));
    expect(release.map((r) => r.idempotencyKey)).toEqual([`release-${number.id}`]);

    const stored = await numberRow(number.id);
    expect(stored.status).toBe('released');
    expect(stored.releasedAt).toBeInstanceOf(Date);
    const history = await db.selectFrom('numberStatusHistory').selectAll().where('numberId', '=', number.id).orderBy('id').execute();
    expect(history.map((h) => [h.fromStatus, h.toStatus, h.event, h.applied, h.actor])).toEqual([
      ['active', 'releasing', 'release_requested', true, 'customer'],
      ['releasing', 'released', 'release_completed', true, 'system'],
    ]);
    expect(history[1].cause).toBe('job release-number.101');

    // Leaving `active` took the number out of billing: the quantity sync is in the outbox.
    const outbox = await db.selectFrom('outbox').selectAll().orderBy('id').execute();
    const mine = outbox.filter((o) => JSON.stringify(o.payload).includes(number.id));
    expect(mine.map((o) => [o.kind, o.name])).toEqual([
      ['job', 'release-number'],
      ['job', 'sync-subscription-quantity'],
      ['event', 'number.status_changed'],
      ['event', 'number.status_changed'],
    ]);
    expect(mine[1].payload).toEqual({ accountId, cause: `release_requested:${number.id}` });
    expect(mine[3].payload).toMatchObject({ numberId: number.id, from: 'releasing', to: 'released' });
  });

  it('run twice (again, or at the same time): the same end state and no error', async () => {
    const number = await releasingNumber();
    const [first, second] = await Promise.all([
      handler.handle({ numberId: number.id }, ctx('release-number.201')),
      handler.handle({ numberId: number.id }, ctx('release-number.201')),
    ]);
    expect([first, second]).toContainEqual({ released: true });
    await expect(handler.handle({ numberId: number.id }, ctx('release-number.201'))).resolves.toEqual({
      released: false,
      reason: 'already_in_target_state',
    });

    expect((await numberRow(number.id)).status).toBe('released');
    const applied = await countOf(
      db.selectFrom('numberStatusHistory').where('numberId', '=', number.id).where('event', '=', 'release_completed').where('applied', '=', true),
    );
    expect(applied).toBe(1);
    const state = await simState();
    expect(state.telnyx.numbers.find((n) => n.id === number.telnyxId)?.status).toBe('deleted');
    expect(state.meta.numbers.find((n) => n.id === number.metaId)?.registered).toBe(false);
    // One released event, however many times the handler ran.
    const events = await db.selectFrom('outbox').selectAll().where('kind', '=', 'event').execute();
    expect(events.filter((e) => JSON.stringify(e.payload).includes(number.id) && (e.payload as { to: string }).to === 'released')).toHaveLength(1);
  });

  it('does nothing to a number that is not releasing: no provider call', async () => {
    const id = newId();
    await db
      .insertInto('phoneNumbers')
      .values({ id, accountId, profileId, country: 'US', status: 'active', monthlyCents: 300, telnyxNumberId: '4999999999999999999', metaPhoneNumberId: '599999999999999' })
      .execute();
    const before = await simState();
    await expect(handler.handle({ numberId: id }, ctx('release-number.301'))).resolves.toEqual({ released: false, reason: 'not_allowed_from_state' });
    const after = await simState();
    expect(after.requests.telnyx).toHaveLength(before.requests.telnyx.length);
    expect(after.requests.meta).toHaveLength(before.requests.meta.length);
    expect((await numberRow(id)).status).toBe('active');
  });

  it('leaves in place a WhatsApp registration or carrier number that another of our numbers holds', async () => {
    // As after the simulator lost its state: Meta gave the same registration to two of our numbers.
    const number = await releasingNumber();
    const other = newId();
    await db
      .insertInto('phoneNumbers')
      .values({ id: other, accountId, profileId, phoneNumber: '+15550199999', country: 'US', status: 'active', monthlyCents: 300, telnyxNumberId: '4888888888888888888', metaPhoneNumberId: number.metaId })
      .execute();
    await expect(handler.handle({ numberId: number.id }, ctx('release-number.501'))).resolves.toEqual({
      released: true,
      kept: [`WhatsApp registration ${number.metaId} kept: number ${other} holds it`],
    });
    let state = await simState();
    expect(state.meta.numbers.find((n) => n.id === number.metaId)?.registered).toBe(true);
    expect(state.requests.meta.filter((r) => r.path.includes(number.metaId) && r.path.endsWith('/deregister'))).toEqual([]);
    // The carrier number was this one's alone: deleted.
    expect(state.telnyx.numbers.find((n) => n.id === number.telnyxId)?.status).toBe('deleted');
    const completed = await db.selectFrom('numberStatusHistory').selectAll().where('numberId', '=', number.id).where('event', '=', 'release_completed').executeTakeFirstOrThrow();
    expect(completed.cause).toBe(`job release-number.501; WhatsApp registration ${number.metaId} kept: number ${other} holds it`);

    // Another holds the same E.164 number: neither its registration nor its carrier number is touched.
    const second = await releasingNumber();
    const phone = (await numberRow(second.id)).phoneNumber;
    const holder = newId();
    await db.insertInto('phoneNumbers').values({ id: holder, accountId, profileId, phoneNumber: phone, country: 'US', status: 'verifying', monthlyCents: 300 }).execute();
    await expect(handler.handle({ numberId: second.id }, ctx('release-number.502'))).resolves.toEqual({
      released: true,
      kept: [`WhatsApp registration ${second.metaId} kept: number ${holder} holds it`, `carrier number ${second.telnyxId} kept: number ${holder} holds it`],
    });
    state = await simState();
    expect(state.meta.numbers.find((n) => n.id === second.metaId)?.registered).toBe(true);
    expect(state.telnyx.numbers.find((n) => n.id === second.telnyxId)?.status).not.toBe('deleted');
    expect((await numberRow(second.id)).status).toBe('released');
  });

  /** A number released while in `provisioning`, its order placed at the carrier (whether we heard the answer or not). */
  async function releasedWhileOrdering(storeOrder: boolean): Promise<{ id: string; orderId: string; phoneNumber: string }> {
    const carrier = bed.moduleRef.get<CarrierGateway>(CARRIER_GATEWAY);
    const [offered] = await carrier.searchAvailableNumbers({ country: 'US', limit: 1 });
    const id = newId();
    await db.insertInto('phoneNumbers').values({ id, accountId, profileId, country: 'US', status: 'provisioning', monthlyCents: 300 }).execute();
    const order = await carrier.orderNumber({ phoneNumber: offered.phoneNumber, customerReference: id }, `order-${id}`);
    if (storeOrder) await db.updateTable('phoneNumbers').set({ telnyxOrderId: order.orderId, carrierOrders: 1 }).where('id', '=', id).execute();
    await bed.moduleRef.get(NumberLifecycle).apply(id, 'release_requested', { cause: 'test', actor: 'customer' });
    return { id, orderId: order.orderId, phoneNumber: offered.phoneNumber };
  }

  async function liveAtCarrier(phoneNumber: string) {
    return (await simState()).telnyx.numbers.filter((n) => n.phoneNumber === phoneNumber && n.status !== 'deleted');
  }

  it('releases at the carrier the number an order bought before we heard it completed', async () => {
    // Released right after purchase: the order completed at the carrier, its webhook not handled yet.
    for (const storeOrder of [true, false]) {
      const number = await releasedWhileOrdering(storeOrder);
      await eventually('the order fulfilled', async () => (await liveAtCarrier(number.phoneNumber)).length === 1, 10_000, 50);
      await expect(handler.handle({ numberId: number.id }, ctx(`release-number.60${Number(storeOrder)}`))).resolves.toEqual({ released: true });
      expect(await liveAtCarrier(number.phoneNumber)).toEqual([]);
      expect((await numberRow(number.id)).status).toBe('released');
    }
  });

  it('waits for an order still pending at the carrier before it completes the release', async () => {
    await sim.put('/_sim/telnyx/number-orders/policy', { completionDelayMs: 1500 });
    try {
      const number = await releasedWhileOrdering(true);
      await expect(handler.handle({ numberId: number.id }, ctx('release-number.701'))).rejects.toThrow(`carrier order ${number.orderId} is still pending`);
      expect((await numberRow(number.id)).status).toBe('releasing');
      await eventually('the order fulfilled', async () => (await liveAtCarrier(number.phoneNumber)).length === 1, 10_000, 50);
      await expect(handler.handle({ numberId: number.id }, ctx('release-number.701'))).resolves.toEqual({ released: true });
      expect(await liveAtCarrier(number.phoneNumber)).toEqual([]);
    } finally {
      await sim.put('/_sim/telnyx/number-orders/policy', { completionDelayMs: 0 });
    }
  });

  it('waits for an order still being sent (the carrier cannot list it yet), then releases the number it bought', async () => {
    const carrier = bed.moduleRef.get<CarrierGateway>(CARRIER_GATEWAY);
    const placement = bed.moduleRef.get(CarrierOrderPlacement);
    const [offered] = await carrier.searchAvailableNumbers({ country: 'US', limit: 1 });
    const id = newId();
    await db.insertInto('phoneNumbers').values({ id, accountId, profileId, country: 'US', status: 'provisioning', monthlyCents: 300 }).execute();
    const read = await numberRow(id);
    // `order-number` read the number and sends its order; the carrier takes 1.5 s to get it.
    await sim.post('/_sim/faults', { provider: 'telnyx', method: 'POST', path: '/v2/number_orders', action: 'delay', delayMs: 1500, times: 1 });
    const sending = placement.place(read, { phoneNumber: offered.phoneNumber, customerReference: id }, `order-${id}`);
    await eventually('the order recorded as being sent', async () => (await numberRow(id)).carrierOrderStartedAt !== null, 5_000, 20);
    await bed.moduleRef.get(NumberLifecycle).apply(id, 'release_requested', { cause: 'test', actor: 'customer' });

    await expect(handler.handle({ numberId: id }, ctx('release-number.801'))).rejects.toThrow(`number ${id}: a carrier order is being sent`);
    expect((await numberRow(id)).status).toBe('releasing');
    const order = await sending;
    expect(await numberRow(id)).toMatchObject({ telnyxOrderId: order?.orderId, carrierOrderStartedAt: null });
    await eventually('the order fulfilled', async () => (await liveAtCarrier(offered.phoneNumber)).length === 1, 10_000, 50);
    await expect(handler.handle({ numberId: id }, ctx('release-number.801'))).resolves.toEqual({ released: true });
    expect(await liveAtCarrier(offered.phoneNumber)).toEqual([]);

    // A run that read the number before its release sends nothing once it is released.
    await expect(placement.place(read, { phoneNumber: offered.phoneNumber, customerReference: id }, `order-${id}-2`)).resolves.toBeNull();
    expect((await simState()).requests.telnyx.filter((r) => r.idempotencyKey === `order-${id}-2`)).toEqual([]);
  });

  it('lets a provider failure throw (the job is retried) and leaves the number releasing', async () => {
    const number = await releasingNumber();
    await sim.post('/_sim/faults', { provider: 'telnyx', method: 'DELETE', path: '/v2/phone_numbers/:id', action: 'fail', status: 503, times: 20 });
    const failure = handler.handle({ numberId: number.id }, ctx('release-number.401'));
    await expect(failure).rejects.toBeInstanceOf(ProviderError);
    await expect(failure).rejects.toMatchObject({ retryable: true, status: 503 });
    expect((await numberRow(number.id)).status).toBe('releasing');

    // The retry completes the release.
    await sim.delete('/_sim/faults');
    await expect(handler.handle({ numberId: number.id }, ctx('release-number.401'))).resolves.toEqual({ released: true });
  });
});

