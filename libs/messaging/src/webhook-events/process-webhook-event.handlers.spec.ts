import { JOB_HANDLER } from '../handlers/job-handler.decorator';
import { processWebhookEventHandlers } from './process-webhook-event.handlers';

describe('processWebhookEventHandlers', () => {
  const jobsOf = (app: Parameters<typeof processWebhookEventHandlers>[0]) =>
    processWebhookEventHandlers(app).map((handler) => [handler.name, Reflect.getMetadata(JOB_HANDLER.KEY, handler)]);

  it('gives each worker a handler for the webhook-event jobs of the queues it owns, and no other', () => {
    expect(jobsOf('billing-worker')).toEqual([['ProcessStripeEventHandler', 'process-stripe-event']]);
    expect(jobsOf('provisioning-worker')).toEqual([['ProcessTelnyxEventHandler', 'process-telnyx-event']]);
    expect(jobsOf('calling-worker')).toEqual([
      ['ProcessTelnyxCallEventHandler', 'process-telnyx-call-event'],
      ['ProcessMetaEventHandler', 'process-meta-event'],
    ]);
  });
});
