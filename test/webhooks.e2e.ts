// Webhooks in, end to end: the built provider simulator signs and delivers real webhooks (five
// copies of each, shuffled) to the built gateway, which stores each event once; the three built
// workers' relays and queues hand each stored event to the worker that owns it, which marks it
// processed. Everything on a database and Redis prefix of this file.
import { JOBS, jobIdFor, type WebhookJobName } from '@numbers/contracts';
import type { Database } from '@numbers/persistence';
import { countOf, eventually } from '@numbers/test-support';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { setWebhookPolicy, startSystem, type System } from './support/system';

interface Delivery {
  eventId: string | null;
  eventType: string | null;
  copy: number;
  delivered: boolean;
  lastStatus: number | null;
}

let system: System;
let env: Record<string, string>;
let db: Database;
let gatewayUrl: string;
let redis: Redis;

/**
 * The event is stored once, with one job; once its job has run in the queue `job` belongs to,
 * it is processed. Returns the row.
 */
async function storedOnce(provider: 'stripe' | 'telnyx' | 'meta', eventId: string) {
  const rows = await db.selectFrom('webhookEvents').selectAll().where('provider', '=', provider).where('eventId', '=', eventId).execute();
  expect({ eventId, rows: rows.length }).toEqual({ eventId, rows: 1 });
  const [row] = rows;
  const outbox = (await db.selectFrom('outbox').selectAll().where('kind', '=', 'job').execute()).filter(
    (o) => (o.payload as { webhookEventId?: string }).webhookEventId === row.id,
  );
  return { row, outbox };
}

/** A type no worker acts on: stored once, already ignored, and no job. */
async function expectStoredOnceIgnored(provider: 'stripe' | 'telnyx' | 'meta', eventId: string, eventType: string) {
  const { row, outbox } = await storedOnce(provider, eventId);
  expect({ eventId, jobs: outbox.map((o) => o.name) }).toEqual({ eventId, jobs: [] });
  expect(row).toMatchObject({ outcome: 'ignored', detail: `no worker acts on ${provider} ${eventType}`, processedAt: expect.any(Date) });
}

async function expectStoredOnceAndProcessed(provider: 'stripe' | 'telnyx' | 'meta', eventId: string, job: WebhookJobName) {
  const { row, outbox } = await storedOnce(provider, eventId);
  expect({ eventId, jobs: outbox.map((o) => o.name) }).toEqual({ eventId, jobs: [job] });

  const processed = await eventually(`${provider} ${eventId} processed`, async () => {
    const current = await db.selectFrom('webhookEvents').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    return current.processedAt ? current : undefined;
  });
  // The job ran, and completed, on the queue of the worker that owns the event.
  const queue = new Queue(JOBS[job].queue, { connection: redis, prefix: env['REDIS_PREFIX'] });
  try {
    // The event is marked processed inside the job; BullMQ marks the job completed a moment later.
    await eventually(`${job} completed`, async () => (await queue.getJobState(jobIdFor(job, outbox[0].id))) === 'completed');
  } finally {
    await queue.close();
  }
  return processed;
}

beforeAll(async () => {
  // The provisioning and billing workers come with the system; the calling worker owns Meta's events.
  system = await startSystem();
  await system.startWorker('calling-worker');
  ({ env, db } = system);
  gatewayUrl = system.baseUrl;
  expect(env['SIMULATOR_WEBHOOK_TARGET']).toBe(gatewayUrl);
  redis = new Redis(env['REDIS_URL'], { maxRetriesPerRequest: null });

  // Every webhook from now on: five copies, each batch shuffled (at-least-once, out of order).
  await setWebhookPolicy(system.sim, { copies: 5, shuffle: true });
});

afterAll(async () => {
  redis?.disconnect();
  await system?.stop();
});

describe('webhooks in', () => {
  it('stores each Stripe event delivered five times, shuffled, once; the billing worker processes the routed ones', async () => {
    const events = ['checkout.session.expired', 'customer.updated', 'charge.refunded'].map((type) => ({
      id: `evt_e2e_${randomUUID().replace(/-/g, '')}`,
      object: 'event',
      type,
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      data: { object: { id: `obj_${type}` } },
    }));
    const { deliveries } = await system.sim.post<{ deliveries: Delivery[] }>('/_sim/webhooks/deliveries', { provider: 'stripe', events });
    expect(deliveries).toHaveLength(15);
    expect(deliveries.every((d) => d.delivered && d.lastStatus === 200)).toBe(true);

    const [routed, ...unrouted] = events;
    const row = await expectStoredOnceAndProcessed('stripe', routed.id, 'process-stripe-event');
    expect(['applied', 'ignored']).toContain(row.outcome);
    for (const event of unrouted) await expectStoredOnceIgnored('stripe', event.id, event.type);
  });

  it('routes Telnyx call events to the calling worker and orders and messages to provisioning, each stored once', async () => {
    const telnyx = (eventType: string) => ({
      data: { event_type: eventType, id: randomUUID(), occurred_at: new Date().toISOString(), payload: { call_control_id: 'v3:e2e' }, record_type: 'event' },
      meta: { attempt: 1, delivered_to: `${gatewayUrl}/webhooks/telnyx` },
    });
    const calls = [telnyx('call.initiated'), telnyx('call.hangup')];
    const message = telnyx('message.received');
    const other = telnyx('message.finalized');
    const { deliveries } = await system.sim.post<{ deliveries: Delivery[] }>('/_sim/webhooks/deliveries', { provider: 'telnyx', events: [...calls, message, other] });
    expect(deliveries.filter((d) => d.delivered && d.lastStatus === 200)).toHaveLength(20);

    for (const event of calls) {
      const row = await expectStoredOnceAndProcessed('telnyx', event.data.id, 'process-telnyx-call-event');
      // The calling worker's handler ran: the call is none of ours, so nothing changed.
      expect(row).toMatchObject({ outcome: 'ignored', detail: 'call v3:e2e is not one of ours' });
    }
    const row = await expectStoredOnceAndProcessed('telnyx', message.data.id, 'process-telnyx-event');
    expect(['applied', 'ignored']).toContain(row.outcome);
    await expectStoredOnceIgnored('telnyx', other.data.id, 'message.finalized');
  });

  it('stores each change of a Meta delivery once; the calling worker processes them', async () => {
    const wamid = `wamid.e2e${Date.now()}`;
    const value = { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550001111', phone_number_id: '106540352242922' } };
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          changes: [
            { field: 'messages', value: { ...value, messages: [{ from: '15551230000', id: wamid, timestamp: '1764000000', type: 'text', text: { body: 'hi' } }] } },
            { field: 'messages', value: { ...value, statuses: [{ id: wamid, status: 'read', timestamp: '1764000001', recipient_id: '15551230000' }] } },
          ],
        },
      ],
    };
    const { deliveries } = await system.sim.post<{ deliveries: Delivery[] }>('/_sim/webhooks/deliveries', { provider: 'meta', event: body });
    expect(deliveries.filter((d) => d.delivered && d.lastStatus === 200)).toHaveLength(5);

    for (const eventId of [`message:${wamid}`, `status:${wamid}:read`]) {
      const row = await expectStoredOnceAndProcessed('meta', eventId, 'process-meta-event');
      expect(['applied', 'ignored']).toContain(row.outcome);
    }
  });

  it("stores a carrier's own webhook (an inbound SMS, five copies) once; the provisioning worker processes it", async () => {
    const phoneNumber = '+15550207777';
    await system.sim.post('/_sim/telnyx/numbers', { phoneNumber });
    await system.sim.post('/_sim/telnyx/messages/inbound', { to: phoneNumber, from: '+15550001111', text: 'WhatsApp code 123-456' });
    expect(await system.sim.post<{ drained: boolean }>('/_sim/webhooks/drain', { timeoutMs: 20_000 })).toMatchObject({ drained: true });

    const [event] = await eventually('message.received stored', async () => {
      const rows = await db.selectFrom('webhookEvents').selectAll().where('provider', '=', 'telnyx').where('eventType', '=', 'message.received').execute();
      return rows.length > 0 ? rows : undefined;
    });
    const row = await expectStoredOnceAndProcessed('telnyx', event.eventId, 'process-telnyx-event');
    expect(row.outcome).not.toBeNull();
  });

  it('refuses a forged webhook with 400 and stores nothing', async () => {
    const before = await countOf(db.selectFrom('webhookEvents'));
    const body = JSON.stringify({ id: 'evt_forged', object: 'event', type: 'invoice.paid', data: { object: {} } });
    const response = await fetch(`${gatewayUrl}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` },
      body,
    });
    expect([response.status, await response.json()]).toEqual([400, { error: expect.any(String), code: 'INVALID_SIGNATURE' }]);
    expect(await countOf(db.selectFrom('webhookEvents'))).toBe(before);
  });
});
