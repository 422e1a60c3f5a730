import { Sealer } from './sealer';

const rootKey = Buffer.alloc(32, 5);
const sealer = new Sealer(rootKey, 'numbers test secrets v1', 'test secret');

describe('Sealer', () => {
  it('opens what it sealed for the same row, and seals the same secret differently each time', () => {
    const sealed = sealer.seal('s3cret', 'row_1');
    expect(sealed).toMatch(/^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(sealed).not.toContain('s3cret');
    expect(sealer.open(sealed, 'row_1')).toBe('s3cret');
    expect(sealer.seal('s3cret', 'row_1')).not.toBe(sealed);
    expect(sealer.open(sealer.seal('', 'row_1'), 'row_1')).toBe('');
  });

  it('does not open a value sealed for another row, for another purpose or under another root key', () => {
    const sealed = sealer.seal('s3cret', 'row_1');
    expect(() => sealer.open(sealed, 'row_2')).toThrow();
    expect(() => new Sealer(rootKey, 'numbers other secrets v1', 'other').open(sealed, 'row_1')).toThrow();
    expect(() => new Sealer(Buffer.alloc(32, 6), 'numbers test secrets v1', 'test secret').open(sealed, 'row_1')).toThrow();
  });

  it('does not open a value with any part changed', () => {
    const parts = sealer.seal('s3cret', 'row_1').split('.');
    for (const index of [1, 2, 3]) {
      const changed = [...parts];
      const bytes = Buffer.from(changed[index] ?? '', 'base64url');
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      changed[index] = bytes.toString('base64url');
      expect(() => sealer.open(changed.join('.'), 'row_1')).toThrow();
    }
  });

  it('names the secret when the value is not sealed at all', () => {
    expect(() => sealer.open('s3cret', 'row_1')).toThrow('not a sealed test secret');
    expect(() => sealer.open('v2.a.b.c', 'row_1')).toThrow('not a sealed test secret');
  });
});
