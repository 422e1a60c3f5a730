import { IdempotencyStore } from './idempotency.store';

describe('IdempotencyStore', () => {
  it('claims a new key, then replays its stored response for the same request', () => {
    const store = new IdempotencyStore();
    expect(store.begin('stripe', 'k', 'POST /a {}')).toEqual({ kind: 'new' });
    expect(store.begin('stripe', 'k', 'POST /a {}')).toEqual({ kind: 'in_progress' });
    store.complete('stripe', 'k', 200, '{"id":1}');
    expect(store.begin('stripe', 'k', 'POST /a {}')).toEqual({ kind: 'replay', status: 200, body: '{"id":1}' });
  });

  it('refuses the key for another request, and keeps scopes apart', () => {
    const store = new IdempotencyStore();
    store.begin('stripe', 'k', 'POST /a {"q":1}');
    store.complete('stripe', 'k', 200, '{}');
    expect(store.begin('stripe', 'k', 'POST /a {"q":2}')).toEqual({ kind: 'mismatch' });
    expect(store.begin('telnyx', 'k', 'DELETE /n')).toEqual({ kind: 'new' });
  });

  it('forgets an abandoned key so a retry runs again', () => {
    const store = new IdempotencyStore();
    store.begin('stripe', 'k', 'f');
    store.abandon('stripe', 'k');
    expect(store.begin('stripe', 'k', 'f')).toEqual({ kind: 'new' });
  });

  it('expires keys after the TTL', () => {
    let now = 0;
    const store = new IdempotencyStore(1_000, () => now);
    store.begin('stripe', 'old', 'f');
    store.complete('stripe', 'old', 200, '{}');
    now = 1_001;
    expect(store.begin('stripe', 'old', 'other')).toEqual({ kind: 'new' });
  });
});
