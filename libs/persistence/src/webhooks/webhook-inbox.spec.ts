import { AppConfig } from '@numbers/config';
import { createTestDatabase, testEnv, testRedisPrefix, type TestDatabase } from '@numbers/test-support';
import { Database } from '../database/database';
import { WebhookEventRepository } from './webhook-event.repository';
import { WebhookInbox } from './webhook-inbox';

describe('WebhookInbox.record (real PostgreSQL)', () => {
  let database: TestDatabase;
  let db: Database;
  let inbox: WebhookInbox;
  let events: WebhookEventRepository;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new Database(AppConfig.fromEnv(testEnv({ DATABASE_URL: database.url, REDIS_PREFIX: testRedisPrefix() })));
    events = new WebhookEventRepository(db);
    inbox = new WebhookInbox(db);
  });

  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });

  const jobsOf = async (id: string) =>
    (await db.selectFrom('outbox').select(['name', 'payload']).where('kind', '=', 'job').execute()).filter(
      (r) => (r.payload as { webhookEventId: string }).webhookEventId === id,
    );

  it('stores an event recorded ten times at once once, with one job', async () => {
    const receipts = await Promise.all(
      Array.from({ length: 10 }, () => inbox.record('stripe', '{"id":"evt_race"}', [{ eventId: 'evt_race', eventType: 'checkout.session.completed' }])),
    );
    expect(receipts.filter((r) => r.stored.length === 1)).toHaveLength(1);
    expect(receipts.filter((r) => r.duplicates.length === 1)).toHaveLength(9);
    const [row] = await db.selectFrom('webhookEvents').selectAll().where('provider', '=', 'stripe').where('eventId', '=', 'evt_race').execute();
    expect(row).toMatchObject({ eventType: 'checkout.session.completed', rawBody: '{"id":"evt_race"}', processedAt: null });
    expect((await jobsOf(row.id)).map((j) => [j.name, j.payload])).toEqual([['process-stripe-event', { webhookEventId: row.id }]]);
  });

  it('stores only the new events of a delivery, each with the job of its type', async () => {
    await inbox.record('telnyx', 'first', [{ eventId: 'tx-1', eventType: 'number_order.complete' }]);
    const receipt = await inbox.record('telnyx', 'second', [
      { eventId: 'tx-1', eventType: 'number_order.complete' },
      { eventId: 'tx-2', eventType: 'call.answered' },
      { eventId: 'tx-2', eventType: 'call.answered' },
    ]);
    expect(receipt.stored.map((e) => e.eventId)).toEqual(['tx-2']);
    expect(receipt.duplicates).toEqual(['tx-1']);
    expect((await jobsOf(receipt.stored[0].id)).map((j) => j.name)).toEqual(['process-telnyx-call-event']);
    expect((await events.findByEventId('telnyx', 'tx-1'))?.rawBody).toBe('first');
  });

  it('stores a type no worker acts on already ignored, with no job', async () => {
    const receipt = await inbox.record('stripe', '{"id":"evt_noise"}', [
      { eventId: 'evt_noise', eventType: 'customer.subscription.updated' },
      { eventId: 'evt_routed', eventType: 'checkout.session.expired' },
    ]);
    const [noise, routed] = receipt.stored;
    expect(await events.findById(noise.id)).toMatchObject({
      eventType: 'customer.subscription.updated',
      outcome: 'ignored',
      detail: 'no worker acts on stripe customer.subscription.updated',
      processedAt: expect.any(Date),
    });
    expect(await jobsOf(noise.id)).toEqual([]);
    expect(await events.findById(routed.id)).toMatchObject({ outcome: null, processedAt: null });
    expect((await jobsOf(routed.id)).map((j) => j.name)).toEqual(['process-stripe-event']);
  });

  it('keeps event ids per provider: the same id from two providers is two events', async () => {
    await inbox.record('meta', '{}', [{ eventId: 'same', eventType: 'messages' }]);
    const receipt = await inbox.record('telnyx', '{}', [{ eventId: 'same', eventType: 'message.received' }]);
    expect(receipt.stored).toHaveLength(1);
  });

  it('marks processed once', async () => {
    const { stored } = await inbox.record('stripe', '{}', [{ eventId: 'evt_mark', eventType: 'checkout.session.completed' }]);
    expect(await events.markProcessed(stored[0].id, 'applied', null)).toBe(true);
    expect(await events.markProcessed(stored[0].id, 'failed', 'late')).toBe(false);
    expect(await events.findById(stored[0].id)).toMatchObject({ outcome: 'applied', detail: null });
  });
});
