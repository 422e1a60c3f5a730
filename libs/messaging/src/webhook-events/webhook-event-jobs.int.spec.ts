import type { TestingModule } from '@nestjs/testing';
import { WEBHOOK_JOB_NAMES } from '@numbers/contracts';
import { Database, WebhookEventRepository, WebhookInbox } from '@numbers/persistence';
import { MessagingModule } from '../messaging.module';
import { doNothingHandlersOf, messagingTestBed, startTestContext, type MessagingTestBed } from '../testing/messaging-test-app';
import type { HandlesWebhookEvent, StoredWebhookEvent, WebhookEventContext } from './handles-webhook-event';
import { WebhookEventHandler } from './webhook-event-handler.decorator';
import { WebhookEventsModule } from './webhook-events.module';

jest.setTimeout(60_000);

const handled: { eventId: string; jobId: string }[] = [];

@WebhookEventHandler('stripe', 'invoice.paid')
class InvoicePaidTestHandler implements HandlesWebhookEvent<'stripe'> {
  async handle(event: StoredWebhookEvent<'stripe'>, ctx: WebhookEventContext) {
    handled.push({ eventId: event.eventId, jobId: ctx.job.jobId });
    return { outcome: 'applied' as const, detail: 'paid' };
  }
}

/** A do-nothing handler for each other job of the billing queue: the app's own jobs, not under test. */
const OTHER_BILLING_HANDLERS = doNothingHandlersOf('billing', WEBHOOK_JOB_NAMES);

/**
 * Integration (real PostgreSQL and Redis): a worker whose app declares no process-*-event handler
 * gets one from WebhookEventsModule, so a webhook stored by the inbox travels outbox → relay →
 * queue → the job's handler → WebhookEventProcessor → the per-type handler.
 */
describe('webhook-event jobs in a worker', () => {
  let bed: MessagingTestBed;
  let app: TestingModule;

  beforeAll(async () => {
    bed = await messagingTestBed();
    app = await startTestContext(
      bed.config,
      [MessagingModule.forWorker('billing-worker'), WebhookEventsModule.forWorker('billing-worker')],
      [InvoicePaidTestHandler, ...OTHER_BILLING_HANDLERS],
    );
  });

  afterAll(async () => {
    await app?.close();
    await bed?.cleanup();
  });

  it('processes a stored Stripe event through its process-stripe-event job', async () => {
    const db = app.get(Database);
    const events = new WebhookEventRepository(db);
    const inbox = new WebhookInbox(db);
    const body = JSON.stringify({ id: 'evt_jobs_1', object: 'event', type: 'invoice.paid', data: { object: { id: 'in_1' } } });
    const { stored } = await inbox.record('stripe', body, [{ eventId: 'evt_jobs_1', eventType: 'invoice.paid' }]);

    for (const started = Date.now(); Date.now() - started < 20_000 && !(await events.findById(stored[0].id))?.processedAt; ) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await events.findById(stored[0].id)).toMatchObject({ outcome: 'applied', detail: 'paid', processedAt: expect.any(Date) });
    expect(handled).toEqual([{ eventId: 'evt_jobs_1', jobId: expect.stringMatching(/^process-stripe-event\.\d+$/) }]);
  });
});
