import { RequestLogStore } from './request-log.store';
import { WebhookDeliveryLogStore } from './webhook-delivery-log.store';

const call = (provider: 'stripe' | 'meta') => ({ provider, method: 'POST', path: '/x', route: '/x', query: {}, status: 200, idempotencyKey: null, replayed: false, fault: null, body: null });

describe('the request and webhook logs', () => {
  it('keep the newest entries only, and count every one until cleared', () => {
    const log = new RequestLogStore(3);
    for (let i = 0; i < 5; i++) log.append(call('stripe'));
    log.append(call('meta'));
    expect(log.list()).toHaveLength(3);
    expect(log.counts()).toEqual({ stripe: 5, meta: 1 });
    log.clear();
    expect(log.counts()).toEqual({});
  });

  it('count every webhook attempt past the cap', () => {
    const log = new WebhookDeliveryLogStore(2);
    for (let i = 0; i < 4; i++) log.append({ id: `w${i}`, provider: 'stripe', url: 'http://x', eventId: null, eventType: null, copy: 1, attempts: 2, lastStatus: 200, delivered: true, error: null, at: '' });
    expect(log.list()).toHaveLength(2);
    expect(log.attempts()).toBe(8);
    log.clear();
    expect(log.attempts()).toBe(0);
  });
});
