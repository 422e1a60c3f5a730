import { DomainError } from '../errors/domain-error';
import { readIdempotencyKey, requestFingerprint } from './idempotency-key';

describe('readIdempotencyKey', () => {
  it('takes a printable key up to 255 characters, and no header', () => {
    expect(readIdempotencyKey('3f0c-9a1b')).toBe('3f0c-9a1b');
    expect(readIdempotencyKey('k'.repeat(255))).toBe('k'.repeat(255));
    expect(readIdempotencyKey(undefined)).toBeUndefined();
  });

  it.each([[''], ['k'.repeat(256)], ['has space'], ['tab\there'], ['é'], [['a', 'b']]])('refuses %j naming the header', (header) => {
    expect(() => readIdempotencyKey(header)).toThrow(DomainError);
    try {
      readIdempotencyKey(header);
    } catch (error) {
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED', extra: { param: 'Idempotency-Key' } });
    }
  });
});

describe('requestFingerprint', () => {
  it('is the same for the same fields in another order, at every depth', () => {
    expect(requestFingerprint({ a: 1, b: { c: [1, { d: 2, e: 3 }], f: 'x' } })).toBe(requestFingerprint({ b: { f: 'x', c: [1, { e: 3, d: 2 }] }, a: 1 }));
  });

  it('differs when a value, an array order or a field changes', () => {
    const base = requestFingerprint({ to: '15551230000', action: 'start_call' });
    expect(requestFingerprint({ to: '15551230001', action: 'start_call' })).not.toBe(base);
    expect(requestFingerprint({ to: '15551230000', action: 'start_call', bodyText: 'hi' })).not.toBe(base);
    expect(requestFingerprint([1, 2])).not.toBe(requestFingerprint([2, 1]));
    expect(requestFingerprint({ n: 1 })).not.toBe(requestFingerprint({ n: '1' }));
  });

  it('treats an absent field and an undefined one alike, and no body as null', () => {
    expect(requestFingerprint({ a: 1, b: undefined })).toBe(requestFingerprint({ a: 1 }));
    expect(requestFingerprint(undefined)).toBe(requestFingerprint(null));
    expect(requestFingerprint({})).toMatch(/^[0-9a-f]{64}$/);
  });
});
