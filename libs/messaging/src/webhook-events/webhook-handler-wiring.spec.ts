import { webhookHandlerProblems } from './webhook-handler-wiring';

describe('webhookHandlerProblems', () => {
  it('accepts handlers of the types routed to this worker', () => {
    expect(
      webhookHandlerProblems('calling-worker', [
        { provider: 'meta', eventType: 'messages', className: 'A' },
        { provider: 'telnyx', eventType: 'call.hangup', className: 'B' },
      ]),
    ).toEqual([]);
    expect(webhookHandlerProblems('provisioning-worker', [{ provider: 'telnyx', eventType: 'message.received', className: 'C' }])).toEqual([]);
  });

  it('names a handler in the wrong worker, of a type routed nowhere, and a type handled twice', () => {
    expect(
      webhookHandlerProblems('provisioning-worker', [
        { provider: 'telnyx', eventType: 'call.answered', className: 'CallHandler' },
        { provider: 'telnyx', eventType: 'message.finalized', className: 'Unrouted' },
        { provider: 'telnyx', eventType: 'number_order.complete', className: 'One' },
        { provider: 'telnyx', eventType: 'number_order.complete', className: 'Two' },
      ]),
    ).toEqual([
      'CallHandler handles telnyx "call.answered", which process-telnyx-call-event processes in calling-worker',
      'Unrouted handles telnyx "message.finalized", which no route in WEBHOOK_ROUTES sends to a worker',
      'telnyx "number_order.complete" has 2 handlers: One, Two',
    ]);
  });
});
