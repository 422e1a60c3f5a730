import { JOBS, QUEUE_OWNER } from './index';
import { readWebhookEvents, WEBHOOK_JOB_NAMES, WEBHOOK_ROUTES, webhookJobFor, WebhookPayloadError } from './webhooks';

describe('webhookJobFor', () => {
  it('routes each handled provider event to the worker that owns it', () => {
    const owner = (provider: 'stripe' | 'telnyx' | 'meta', type: string) => {
      const job = webhookJobFor(provider, type);
      return job && QUEUE_OWNER[JOBS[job].queue];
    };
    expect(owner('stripe', 'checkout.session.completed')).toBe('billing-worker');
    expect(owner('stripe', 'checkout.session.expired')).toBe('billing-worker');
    expect(owner('telnyx', 'number_order.complete')).toBe('provisioning-worker');
    expect(owner('telnyx', 'message.received')).toBe('provisioning-worker');
    expect(owner('telnyx', 'call.hangup')).toBe('calling-worker');
    expect(owner('meta', 'messages')).toBe('calling-worker');
  });

  it('routes nowhere the types no worker acts on, and matches types exactly', () => {
    expect(webhookJobFor('stripe', 'customer.subscription.updated')).toBeNull();
    expect(webhookJobFor('stripe', 'invoice.payment_succeeded')).toBeNull();
    expect(webhookJobFor('telnyx', 'message.finalized')).toBeNull();
    expect(webhookJobFor('telnyx', 'checkout.session.completed')).toBeNull();
    expect(webhookJobFor('stripe', 'checkout.session')).toBeNull();
  });

  it('gives each type one route, through registered jobs only', () => {
    const keys = WEBHOOK_ROUTES.flatMap((r) => r.eventTypes.map((t) => `${r.provider} ${t}`));
    expect(new Set(keys).size).toBe(keys.length);
    for (const route of WEBHOOK_ROUTES) expect(WEBHOOK_JOB_NAMES).toContain(route.job);
    for (const name of WEBHOOK_JOB_NAMES) expect(JOBS[name]).toBeDefined();
  });
});

describe('readWebhookEvents', () => {
  it('reads a Stripe event by its id and type', () => {
    const event = { id: 'evt_1', object: 'event', type: 'invoice.paid', data: { object: { id: 'in_1' } } };
    expect(readWebhookEvents('stripe', event)).toEqual([{ provider: 'stripe', eventId: 'evt_1', eventType: 'invoice.paid', payload: event }]);
  });

  it('reads a Telnyx event by data.id and data.event_type, its payload the data', () => {
    const data = { id: 'b2f1', event_type: 'message.received', occurred_at: '2026-11-25T10:00:00Z', payload: { text: 'hi' }, record_type: 'event' };
    expect(readWebhookEvents('telnyx', { data, meta: { attempt: 2 } })).toEqual([{ provider: 'telnyx', eventId: 'b2f1', eventType: 'message.received', payload: data }]);
  });

  it('reads one Meta event per change, named by what it carries', () => {
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '42',
          changes: [
            { field: 'messages', value: { messages: [{ id: 'wamid.1' }, { id: 'wamid.2' }] } },
            { field: 'messages', value: { statuses: [{ id: 'wamid.0', status: 'delivered' }] } },
            { field: 'calls', value: { calls: [{ id: 'wacid.9', event: 'connect' }] } },
            { field: 'account_update', value: { event: 'VERIFIED_ACCOUNT' } },
          ],
        },
      ],
    };
    const refs = readWebhookEvents('meta', body);
    expect(refs.map((r) => [r.eventId.replace(/[0-9a-f]{64}$/, '<hash>'), r.eventType])).toEqual([
      ['message:wamid.1,message:wamid.2', 'messages'],
      ['status:wamid.0:delivered', 'messages'],
      ['call:wacid.9:connect', 'calls'],
      ['account_update:sha256:<hash>', 'account_update'],
    ]);
    expect(refs[3].payload).toEqual({ object: 'whatsapp_business_account', entryId: '42', field: 'account_update', value: { event: 'VERIFIED_ACCOUNT' } });
    // The same body (a redelivery) gives the same ids.
    expect(readWebhookEvents('meta', JSON.parse(JSON.stringify(body))).map((r) => r.eventId)).toEqual(refs.map((r) => r.eventId));
  });

  it('hashes a Meta change whose ids would be too long', () => {
    const messages = Array.from({ length: 20 }, (_, i) => ({ id: `wamid.${'x'.repeat(20)}${i}` }));
    const [ref] = readWebhookEvents('meta', { entry: [{ id: '1', changes: [{ field: 'messages', value: { messages } }] }] });
    expect(ref.eventId).toMatch(/^messages:sha256:[0-9a-f]{64}$/);
  });

  it('refuses bodies that are not the provider shape', () => {
    for (const [provider, body] of [
      ['stripe', { id: 'evt_1' }],
      ['stripe', 'evt_1'],
      ['telnyx', { data: { event_type: 'x' } }],
      ['telnyx', { id: 'x', event_type: 'y' }],
      ['meta', { object: 'whatsapp_business_account' }],
      ['meta', { entry: [{ id: '1' }] }],
      ['meta', { entry: [{ id: '1', changes: [{ value: {} }] }] }],
    ] as const) {
      expect(() => readWebhookEvents(provider, body)).toThrow(WebhookPayloadError);
    }
  });
});
