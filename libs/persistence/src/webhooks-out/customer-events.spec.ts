import { AppConfig } from '@numbers/config';
import { newId } from '@numbers/domain';
import type { NumberStatus } from '@numbers/contracts';
import { createTestDatabase, testEnv, testRedisPrefix, type TestDatabase } from '@numbers/test-support';
import { Database } from '../database/database';
import { NumberLifecycle } from '../lifecycle/number-lifecycle';
import { PhoneNumberRecords } from '../numbers/phone-number.records';
import { CustomerEventRepository } from './customer-event.repository';
import { LAST_FIRED_AT_RESOLUTION_MS, WebhookDeliveryRepository, type DeliveryAttempt } from './webhook-delivery.repository';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';

describe('customer events and their deliveries (real PostgreSQL)', () => {
  let database: TestDatabase;
  let db: Database;
  let lifecycle: NumberLifecycle;
  let endpoints: WebhookEndpointRepository;
  let deliveries: WebhookDeliveryRepository;
  let events: CustomerEventRepository;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new Database(AppConfig.fromEnv(testEnv({ DATABASE_URL: database.url, REDIS_PREFIX: testRedisPrefix() })));
    lifecycle = new NumberLifecycle(db, new PhoneNumberRecords(db));
    endpoints = new WebhookEndpointRepository(db);
    deliveries = new WebhookDeliveryRepository(db);
    events = new CustomerEventRepository(db);
  });

  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });

  async function account(): Promise<{ accountId: string; profileId: string }> {
    const accountId = newId();
    const profileId = newId();
    await db.insertInto('accounts').values({ id: accountId, name: 'hooks', planCode: 'growth' }).execute();
    await db.insertInto('profiles').values({ id: profileId, accountId, name: 'p' }).execute();
    return { accountId, profileId };
  }

  async function numberIn(owner: { accountId: string; profileId: string }, status: NumberStatus): Promise<string> {
    const id = newId();
    await db
      .insertInto('phoneNumbers')
      .values({ id, ...owner, country: 'FR', status, monthlyCents: 300, phoneNumber: '+33612345678', updatedAt: new Date() })
      .execute();
    return id;
  }

  const endpoint = (accountId: string, eventTypes: string[], isActive = true) =>
    endpoints.create({ id: newId(), accountId, name: 'ep', url: 'http://127.0.0.1:9/hook', secretSealed: 'sealed', events: eventTypes, isActive, customHeaders: {} });

  const eventsOf = (accountId: string) => db.selectFrom('customerEvents').selectAll().where('accountId', '=', accountId).orderBy('createdAt').execute();
  const deliveryJobs = (eventId: string) =>
    db
      .selectFrom('outbox')
      .select('payload')
      .where('name', '=', 'deliver-webhook')
      .execute()
      .then((rows) => rows.map((r) => r.payload as { eventId: string; webhookId: string }).filter((p) => p.eventId === eventId));

  it('a state change that sends an event records it with the change, and queues one delivery per subscribed, active endpoint', async () => {
    const owner = await account();
    const subscribed = await endpoint(owner.accountId, ['whatsapp.number.suspended', 'whatsapp.number.activated']);
    await endpoint(owner.accountId, ['whatsapp.number.released']);
    await endpoint(owner.accountId, ['whatsapp.number.suspended'], false);
    const other = await account();
    await endpoint(other.accountId, ['whatsapp.number.suspended']);
    const numberId = await numberIn(owner, 'active');

    await lifecycle.apply(numberId, 'payment_failed', { cause: 'in_1', actor: 'stripe', patch: { suspensionReason: 'card declined' } });

    const [event] = await eventsOf(owner.accountId);
    expect(event).toMatchObject({ type: 'whatsapp.number.suspended' });
    expect(event.payload).toMatchObject({ id: event.id, event: 'whatsapp.number.suspended', phoneNumber: { id: numberId, status: 'suspended', country: 'FR' }, account: { id: owner.accountId } });
    expect(await deliveryJobs(event.id)).toEqual([{ eventId: event.id, webhookId: subscribed.id }]);
  });

  it('a change that sends no event, or does not apply, records none', async () => {
    const owner = await account();
    await endpoint(owner.accountId, ['whatsapp.number.activated']);
    const numberId = await numberIn(owner, 'provisioning');

    await lifecycle.apply(numberId, 'number_ordered', { cause: 'order', actor: 'telnyx' });
    await lifecycle.apply(numberId, 'payment_recovered', { cause: 'late', actor: 'stripe' });

    expect(await eventsOf(owner.accountId)).toEqual([]);
  });

  it('a change rolled back takes its event and deliveries with it', async () => {
    const owner = await account();
    await endpoint(owner.accountId, ['whatsapp.number.suspended']);
    const numberId = await numberIn(owner, 'active');
    const before = await db.selectFrom('outbox').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();

    await expect(
      db.transaction().execute(async (tx) => {
        await lifecycle.apply(numberId, 'payment_failed', { cause: 'in_2', actor: 'stripe' }, tx);
        throw new Error('the rest of the work failed');
      }),
    ).rejects.toThrow('the rest of the work failed');

    expect(await eventsOf(owner.accountId)).toEqual([]);
    const after = await db.selectFrom('outbox').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('records an event on its own (one statement) and finds it for its account only', async () => {
    const owner = await account();
    const subscribed = await endpoint(owner.accountId, ['whatsapp.number.released']);
    const id = newId();
    await events.record(owner.accountId, {
      id,
      event: 'whatsapp.number.released',
      phoneNumber: { id: newId(), phoneNumber: null, status: 'released', country: 'FR', profileId: owner.profileId },
      account: { id: owner.accountId, accountId: owner.accountId, profileId: owner.profileId },
      timestamp: new Date().toISOString(),
    });
    expect(await events.findForAccount(owner.accountId, id)).toMatchObject({ id, type: 'whatsapp.number.released' });
    expect(await events.findForAccount((await account()).accountId, id)).toBeNull();
    expect(await deliveryJobs(id)).toEqual([{ eventId: id, webhookId: subscribed.id }]);
  });

  describe('delivery attempts', () => {
    const attemptOf = (ep: { id: string; accountId: string; name: string; url: string }, at: Date, statusCode: number | null): DeliveryAttempt => ({
      endpoint: ep,
      event: { id: newId(), type: 'whatsapp.number.activated', payload: { hello: 'world' } },
      statusCode,
      responseBody: statusCode ? 'body' : null,
      errorMessage: statusCode ? null : 'connect ECONNREFUSED',
      responseTimeMs: 12,
      at,
    });

    it('a success ends the failure streak and stamps lastFiredAt; a terminal failure counts; retries do not', async () => {
      const owner = await account();
      const ep = await endpoint(owner.accountId, ['whatsapp.number.activated']);
      const t0 = new Date('2026-12-01T00:00:00Z');
      const never = () => null;

      await deliveries.record(attemptOf(ep, t0, null), 'failed', never);
      expect(await endpoints.find(ep.id)).toMatchObject({ failureCount: 0, failingSince: null });
      await deliveries.record(attemptOf(ep, t0, 500), 'gave_up', never);
      await deliveries.record(attemptOf(ep, new Date(t0.getTime() + 1000), 500), 'gave_up', never);
      expect(await endpoints.find(ep.id)).toMatchObject({ failureCount: 2, failingSince: t0 });
      const t1 = new Date(t0.getTime() + 5000);
      await deliveries.record(attemptOf(ep, t1, 204), 'delivered', never);
      expect(await endpoints.find(ep.id)).toMatchObject({ failureCount: 0, failingSince: null, lastFiredAt: t1, isActive: true });

      const { logs, total } = await deliveries.list(owner.accountId, { webhookId: ep.id, limit: 2, skip: 0 });
      expect(total).toBe(4);
      expect(logs.map((l) => l.status)).toEqual(['success', 'failed']);
      expect((await deliveries.list(owner.accountId, { status: 'failed', limit: 10, skip: 1 })).logs).toHaveLength(2);
    });

    it('reads what a delivery needs in one statement: the endpoint, and the event unless pruned', async () => {
      const owner = await account();
      const ep = await endpoint(owner.accountId, ['whatsapp.number.released']);
      const id = newId();
      const payload = { id, event: 'whatsapp.number.released', timestamp: new Date().toISOString() };
      await db.insertInto('customerEvents').values({ id, accountId: owner.accountId, type: 'whatsapp.number.released', payload: JSON.stringify(payload) }).execute();

      expect(await deliveries.findDelivery(ep.id, id)).toEqual({
        endpoint: { id: ep.id, accountId: owner.accountId, name: 'ep', url: ep.url, isActive: true, secretSealed: 'sealed', customHeaders: {} },
        event: { id, type: 'whatsapp.number.released', payload },
      });
      expect(await deliveries.findDelivery(ep.id, newId())).toMatchObject({ endpoint: { id: ep.id }, event: null });
      expect(await deliveries.findDelivery(newId(), id)).toBeNull();
    });

    it("numbers an event's attempts per endpoint, retries and redeliveries after the first", async () => {
      const owner = await account();
      const [ep, other] = [await endpoint(owner.accountId, ['whatsapp.number.activated']), await endpoint(owner.accountId, ['whatsapp.number.activated'])];
      const first = attemptOf(ep, new Date(), 500);
      const again = { ...first, at: new Date() };

      expect(await deliveries.record(first, 'failed', () => null)).toEqual({ attemptNumber: 1, disabled: null });
      expect(await deliveries.record({ ...again, statusCode: 200 }, 'delivered', () => null)).toEqual({ attemptNumber: 2, disabled: null });
      expect(await deliveries.record({ ...again, endpoint: other }, 'gave_up', () => null)).toEqual({ attemptNumber: 1, disabled: null });
      expect(await deliveries.record({ ...again, statusCode: 200 }, 'delivered', () => null)).toMatchObject({ attemptNumber: 3 });
    });

    it('a success writes lastFiredAt when it is older than its resolution, or ends a failure streak', async () => {
      const owner = await account();
      const ep = await endpoint(owner.accountId, ['whatsapp.number.activated']);
      const t0 = new Date('2026-12-02T00:00:00Z');
      const at = (ms: number) => new Date(t0.getTime() + ms);

      await deliveries.record(attemptOf(ep, t0, 200), 'delivered', () => null);
      await deliveries.record(attemptOf(ep, at(LAST_FIRED_AT_RESOLUTION_MS - 1), 200), 'delivered', () => null);
      expect(await endpoints.find(ep.id)).toMatchObject({ lastFiredAt: t0 });
      await deliveries.record(attemptOf(ep, at(LAST_FIRED_AT_RESOLUTION_MS + 1), 200), 'delivered', () => null);
      expect(await endpoints.find(ep.id)).toMatchObject({ lastFiredAt: at(LAST_FIRED_AT_RESOLUTION_MS + 1) });

      await deliveries.record(attemptOf(ep, at(LAST_FIRED_AT_RESOLUTION_MS + 2), 500), 'gave_up', () => null);
      await deliveries.record(attemptOf(ep, at(LAST_FIRED_AT_RESOLUTION_MS + 3), 200), 'delivered', () => null);
      expect(await endpoints.find(ep.id)).toMatchObject({ failureCount: 0, failingSince: null, lastFiredAt: at(LAST_FIRED_AT_RESOLUTION_MS + 3) });
      expect((await deliveries.list(owner.accountId, { webhookId: ep.id, limit: 10, skip: 0 })).total).toBe(5);
    });

    it('disables the endpoint when the rule says so after a terminal failure, and says why in the log', async () => {
      const owner = await account();
      const ep = await endpoint(owner.accountId, ['whatsapp.number.activated']);
      const { disabled } = await deliveries.record(attemptOf(ep, new Date(), 503), 'gave_up', (standing) => (standing.failureCount >= 1 ? 'no success for 3 days' : null));

      expect(disabled).toBe('no success for 3 days');
      expect(await endpoints.find(ep.id)).toMatchObject({ isActive: false, disabledReason: 'no success for 3 days' });
      const { logs } = await deliveries.list(owner.accountId, { webhookId: ep.id, limit: 10, skip: 0 });
      expect(logs[0].errorMessage).toBe('HTTP 503; endpoint disabled: no success for 3 days');
      // Re-enabled by its owner: the verdict and the streak are cleared.
      expect(await endpoints.update(owner.accountId, ep.id, { isActive: true })).toMatchObject({ isActive: true, disabledReason: null, failureCount: 0 });
    });

    it('prunes logs and events older than the cut-off, in batches', async () => {
      const owner = await account();
      const ep = await endpoint(owner.accountId, ['whatsapp.number.activated']);
      const old = new Date(Date.now() - 31 * 24 * 3600 * 1000);
      for (let i = 0; i < 5; i++) await deliveries.record(attemptOf(ep, old, 200), 'delivered', () => null);
      await deliveries.record(attemptOf(ep, new Date(), 200), 'delivered', () => null);

      const pruned = await deliveries.prune(new Date(Date.now() - 30 * 24 * 3600 * 1000), 2);

      expect(pruned.logs).toBeGreaterThanOrEqual(5);
      expect((await deliveries.list(owner.accountId, { webhookId: ep.id, limit: 10, skip: 0 })).total).toBe(1);
    });
  });
});
