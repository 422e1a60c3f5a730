import type { TestingModule } from '@nestjs/testing';
import { Test } from '@nestjs/testing';
import { AppConfig, ConfigModule } from '@numbers/config';
import type { JobName, QueueName, WebhookProvider } from '@numbers/contracts';
import { Database, PersistenceModule, WebhookEventRepository } from '@numbers/persistence';
import { UnrecoverableError } from 'bullmq';
import type { JobContext } from '../handlers/handles-job';
import { messagingTestBed, startTestContext, type MessagingTestBed } from '../testing/messaging-test-app';
import type { HandlesWebhookEvent, StoredWebhookEvent, WebhookEventContext } from './handles-webhook-event';
import { WebhookEventHandler } from './webhook-event-handler.decorator';
import { WebhookEventProcessor } from './webhook-event-processor';
import { WebhookEventsModule } from './webhook-events.module';

jest.setTimeout(60_000);

/** What the test handlers do next: succeed (after an optional pause), or throw. */
const behaviour: { pauseMs: number; fail?: Error } = { pauseMs: 0 };
const seen: StoredWebhookEvent[] = [];

/** Records each run and writes a row through the processing transaction (the effect counted below). */
async function effect(event: StoredWebhookEvent, ctx: WebhookEventContext): Promise<void> {
  seen.push(event);
  await ctx.tx.insertInto('outbox').values({ kind: 'event', name: 'test.effect', payload: { eventId: event.eventId, cause: ctx.cause } }).execute();
  if (behaviour.pauseMs > 0) await new Promise((r) => setTimeout(r, behaviour.pauseMs));
  if (behaviour.fail) throw behaviour.fail;
}

@WebhookEventHandler('stripe', 'checkout.session.completed')
class CheckoutCompletedTestHandler implements HandlesWebhookEvent<'stripe'> {
  async handle(event: StoredWebhookEvent<'stripe'>, ctx: WebhookEventContext) {
    await effect(event, ctx);
    return { outcome: 'applied' as const, detail: `session ${String(event.payload.data.object['id'])}` };
  }
}

@WebhookEventHandler('stripe', 'checkout.session.expired')
class ExpiredTestHandler implements HandlesWebhookEvent<'stripe'> {
  async handle(event: StoredWebhookEvent<'stripe'>, ctx: WebhookEventContext) {
    await effect(event, ctx);
    return event.payload.data.object['id'] === 'cs_unknown' ? { outcome: 'ignored' as const, detail: 'no number has session cs_unknown' } : undefined;
  }
}

@WebhookEventHandler('meta', 'messages')
class MetaMessagesTestHandler implements HandlesWebhookEvent<'meta'> {
  async handle(event: StoredWebhookEvent<'meta'>, ctx: WebhookEventContext) {
    await effect(event, ctx);
  }
}

const QUEUE_OF: Record<WebhookProvider, [JobName, QueueName]> = {
  stripe: ['process-stripe-event', 'billing'],
  telnyx: ['process-telnyx-event', 'provisioning'],
  meta: ['process-meta-event', 'calling'],
};

function job(provider: WebhookProvider, attempt = 1): JobContext {
  const [name, queue] = QUEUE_OF[provider];
  return { jobId: `${name}.1`, name, queue, attempt, maxAttempts: 10 };
}

let bed: MessagingTestBed;
let billing: TestingModule;
let calling: TestingModule;
let db: Database;
let events: WebhookEventRepository;
let seq = 0;

beforeAll(async () => {
  bed = await messagingTestBed();
  billing = await startTestContext(bed.config, [WebhookEventsModule.forWorker('billing-worker')], [CheckoutCompletedTestHandler, ExpiredTestHandler]);
  calling = await startTestContext(bed.config, [WebhookEventsModule.forWorker('calling-worker')], [MetaMessagesTestHandler]);
  db = billing.get(Database);
  events = new WebhookEventRepository(db);
});

afterAll(async () => {
  await billing?.close();
  await calling?.close();
  await bed?.cleanup();
});

beforeEach(() => {
  behaviour.pauseMs = 0;
  behaviour.fail = undefined;
  seen.length = 0;
});

async function storeStripe(type: string, objectId?: string): Promise<{ id: string; eventId: string }> {
  const eventId = `evt_test_${++seq}`;
  const rawBody = JSON.stringify({ id: eventId, object: 'event', type, data: { object: { id: objectId ?? `cs_${seq}` } } });
  const [row] = await events.insertNew([{ provider: 'stripe', eventId, eventType: type, rawBody }]);
  return { id: row.id, eventId };
}

async function effects(eventId: string): Promise<number> {
  const rows = await db.selectFrom('outbox').select('payload').where('name', '=', 'test.effect').execute();
  return rows.filter((r) => (r.payload as { eventId: string }).eventId === eventId).length;
}

const processor = () => billing.get(WebhookEventProcessor);

describe('WebhookEventProcessor', () => {
  it('applies an event with a handler once, marks it applied, and skips it when the job runs again', async () => {
    const { id, eventId } = await storeStripe('checkout.session.completed');

    await expect(processor().process('stripe', id, job('stripe'))).resolves.toEqual({
      webhookEventId: id,
      eventType: 'checkout.session.completed',
      outcome: 'applied',
      detail: expect.stringMatching(/^session cs_\d+$/),
      alreadyProcessed: false,
    });
    expect(seen.map((e) => [e.eventId, e.webhookEventId, (e as StoredWebhookEvent<'stripe'>).payload.id])).toEqual([[eventId, id, eventId]]);
    const row = await events.findById(id);
    expect(row).toMatchObject({ outcome: 'applied', processedAt: expect.any(Date) });

    await expect(processor().process('stripe', id, job('stripe', 2))).resolves.toMatchObject({ outcome: 'applied', alreadyProcessed: true });
    expect(seen).toHaveLength(1);
    expect(await effects(eventId)).toBe(1);
    expect((await events.findById(id))?.processedAt).toEqual(row?.processedAt);
  });

  it('applies it once when two runs of the job race (two workers)', async () => {
    const { id, eventId } = await storeStripe('checkout.session.completed');
    behaviour.pauseMs = 300;
    const results = await Promise.all([processor().process('stripe', id, job('stripe')), processor().process('stripe', id, job('stripe'))]);
    expect(results.map((r) => [r.outcome, r.alreadyProcessed]).sort()).toEqual([
      ['applied', false],
      ['applied', true],
    ]);
    expect(seen).toHaveLength(1);
    expect(await effects(eventId)).toBe(1);
  });

  it('passes the cause `webhook:<provider>:<event id>` to the handler', async () => {
    const { id, eventId } = await storeStripe('checkout.session.expired');
    await processor().process('stripe', id, job('stripe'));
    const [row] = (await db.selectFrom('outbox').select('payload').where('name', '=', 'test.effect').execute()).filter(
      (r) => (r.payload as { eventId: string }).eventId === eventId,
    );
    expect(row.payload).toEqual({ eventId, cause: `webhook:stripe:${eventId}` });
  });

  it('marks a type without a handler ignored, naming the type (stored before its route changed)', async () => {
    const { id } = await storeStripe('customer.updated');
    await expect(processor().process('stripe', id, job('stripe'))).resolves.toMatchObject({ outcome: 'ignored', detail: 'no handler for customer.updated' });
    expect(await events.findById(id)).toMatchObject({ outcome: 'ignored', detail: 'no handler for customer.updated', processedAt: expect.any(Date) });
    expect(seen).toEqual([]);
  });

  it('stores what a handler reports: applied when it returns nothing, ignored with its reason', async () => {
    const known = await storeStripe('checkout.session.expired');
    const unknown = await storeStripe('checkout.session.expired', 'cs_unknown');
    await processor().process('stripe', known.id, job('stripe'));
    await processor().process('stripe', unknown.id, job('stripe'));
    expect(await events.findById(known.id)).toMatchObject({ outcome: 'applied', detail: null });
    expect(await events.findById(unknown.id)).toMatchObject({ outcome: 'ignored', detail: 'no number has session cs_unknown' });
  });

  it('rolls a retryable failure back and rethrows it (BullMQ retries); the next attempt applies', async () => {
    const { id, eventId } = await storeStripe('checkout.session.completed');
    const timeout = new Error('Stripe timed out');
    behaviour.fail = timeout;
    await expect(processor().process('stripe', id, job('stripe', 1))).rejects.toBe(timeout);
    expect(await events.findById(id)).toMatchObject({ processedAt: null, outcome: null });
    expect(await effects(eventId)).toBe(0);

    behaviour.fail = undefined;
    await expect(processor().process('stripe', id, job('stripe', 2))).resolves.toMatchObject({ outcome: 'applied', alreadyProcessed: false });
    expect(await effects(eventId)).toBe(1);
  });

  it('marks the event failed with the reason when the handler says it can never succeed, rolling its writes back', async () => {
    const { id, eventId } = await storeStripe('checkout.session.completed');
    behaviour.fail = Object.assign(new Error('checkout session cs_x belongs to no number'), { retryable: false });
    const run = processor().process('stripe', id, job('stripe'));
    await expect(run).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(run).rejects.toThrow('checkout session cs_x belongs to no number');
    expect(await events.findById(id)).toMatchObject({ outcome: 'failed', detail: 'checkout session cs_x belongs to no number', processedAt: expect.any(Date) });
    expect(await effects(eventId)).toBe(0);
    // A manual re-run of the job does nothing more.
    behaviour.fail = undefined;
    await expect(processor().process('stripe', id, job('stripe', 2))).resolves.toMatchObject({ outcome: 'failed', alreadyProcessed: true });
  });

  it('marks the event failed when the last attempt of a retryable failure fails', async () => {
    const { id } = await storeStripe('checkout.session.completed');
    behaviour.fail = new Error('Stripe is down');
    const run = processor().process('stripe', id, job('stripe', 10));
    await expect(run).rejects.toThrow(new Error('gave up after 10 attempts: Stripe is down'));
    // Not refused: exhausted, so the failed job is re-driven (docs/architecture.md, "Failed work").
    await expect(run).rejects.not.toBeInstanceOf(UnrecoverableError);
    expect(await events.findById(id)).toMatchObject({ outcome: 'failed', detail: 'gave up after 10 attempts: Stripe is down' });
  });

  it('fails the job at once for an event that does not exist or belongs to another provider', async () => {
    await expect(processor().process('stripe', '0123456789abcdef01234567', job('stripe'))).rejects.toBeInstanceOf(UnrecoverableError);
    const { id } = await storeStripe('invoice.paid');
    await expect(processor().process('telnyx', id, job('telnyx'))).rejects.toThrow(/is a stripe event, not telnyx/);
  });

  it('hands a Meta handler the one change its row is, out of a delivery of several', async () => {
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        { id: '1001', changes: [{ field: 'messages', value: { messages: [{ id: 'wamid.A', type: 'text' }] } }] },
        { id: '1002', changes: [{ field: 'messages', value: { statuses: [{ id: 'wamid.B', status: 'read' }] } }] },
      ],
    });
    const rows = await events.insertNew(
      ['message:wamid.A', 'status:wamid.B:read'].map((eventId) => ({ provider: 'meta' as const, eventId, eventType: 'messages', rawBody: body })),
    );
    for (const row of rows) await calling.get(WebhookEventProcessor).process('meta', row.id, job('meta'));
    expect(seen.map((e) => [e.eventId, (e as StoredWebhookEvent<'meta'>).payload.entryId])).toEqual([
      ['message:wamid.A', '1001'],
      ['status:wamid.B:read', '1002'],
    ]);
  });

  it('marks an event whose stored body no longer reads as failed', async () => {
    const [row] = await events.insertNew([{ provider: 'stripe', eventId: 'evt_broken', eventType: 'invoice.paid', rawBody: '{"id":"evt_broken"' }]);
    await expect(processor().process('stripe', row.id, job('stripe'))).rejects.toBeInstanceOf(UnrecoverableError);
    expect(await events.findById(row.id)).toMatchObject({ outcome: 'failed', detail: expect.stringMatching(/^stored body unreadable/) });
  });
});

describe('a worker with per-type handlers', () => {
  async function boot(app: 'provisioning-worker' | 'billing-worker', handlers: (new (...args: never[]) => unknown)[]): Promise<unknown> {
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule, PersistenceModule, WebhookEventsModule.forWorker(app)],
      providers: handlers as never[],
    })
      .overrideProvider(AppConfig)
      .useValue(bed.config)
      .compile();
    try {
      await moduleRef.init();
      await moduleRef.close();
      return undefined;
    } catch (error) {
      await moduleRef.get(Database).destroy();
      return error;
    }
  }

  it('refuses to boot when a handler sits in a worker that never receives its type', async () => {
    const error = await boot('provisioning-worker', [CheckoutCompletedTestHandler]);
    expect(String(error)).toContain(
      'provisioning-worker refuses to boot:\n  - CheckoutCompletedTestHandler handles stripe "checkout.session.completed", which process-stripe-event processes in billing-worker',
    );
  });

  it('refuses to boot when a handler takes a type no route sends to a worker', async () => {
    @WebhookEventHandler('stripe', 'invoice.payment_succeeded')
    class UnroutedInvoiceHandler implements HandlesWebhookEvent<'stripe'> {
      async handle() {
        return undefined;
      }
    }
    const error = await boot('billing-worker', [UnroutedInvoiceHandler]);
    expect(String(error)).toContain('UnroutedInvoiceHandler handles stripe "invoice.payment_succeeded", which no route in WEBHOOK_ROUTES sends to a worker');
  });

  it('refuses to boot when a type has two handlers', async () => {
    @WebhookEventHandler('stripe', 'checkout.session.expired')
    class SecondExpiredHandler implements HandlesWebhookEvent<'stripe'> {
      async handle() {
        return undefined;
      }
    }
    const error = await boot('billing-worker', [ExpiredTestHandler, SecondExpiredHandler]);
    expect(String(error)).toContain('stripe "checkout.session.expired" has 2 handlers: ExpiredTestHandler, SecondExpiredHandler');
  });
});
