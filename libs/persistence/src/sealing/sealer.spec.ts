import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { keyIdOf, Sealer } from './sealer';

const rootKey = Buffer.alloc(32, 5);
const newKey = Buffer.alloc(32, 8);
const PURPOSE = 'numbers test secrets v1';
const sealer = new Sealer({ current: rootKey, previous: [] }, PURPOSE, 'test secret');

/** A value in the format written before key ids (v1), as the sealer of that time wrote it. */
function sealV1(root: Buffer, plaintext: string, rowId: string): string {
  const key = Buffer.from(hkdfSync('sha256', root, Buffer.alloc(0), PURPOSE, 32));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
  cipher.setAAD(Buffer.from(rowId, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

describe('Sealer', () => {
  it('opens what it sealed for the same row, names its key, and seals the same secret differently each time', () => {
    const sealed = sealer.seal('s3cret', 'row_1');
    expect(sealed).toMatch(/^v2\.[\w-]{8}\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(sealed.split('.')[1]).toBe(keyIdOf(rootKey));
    expect(sealed).not.toContain('s3cret');
    expect(sealer.open(sealed, 'row_1')).toBe('s3cret');
    expect(sealer.seal('s3cret', 'row_1')).not.toBe(sealed);
    expect(sealer.open(sealer.seal('', 'row_1'), 'row_1')).toBe('');
    expect(sealer.isStale(sealed)).toBe(false);
  });

  it('does not open a value sealed for another row, for another purpose or under another root key', () => {
    const sealed = sealer.seal('s3cret', 'row_1');
    expect(() => sealer.open(sealed, 'row_2')).toThrow();
    expect(() => new Sealer({ current: rootKey, previous: [] }, 'numbers other secrets v1', 'other').open(sealed, 'row_1')).toThrow();
    expect(() => new Sealer({ current: newKey, previous: [] }, PURPOSE, 'test secret').open(sealed, 'row_1')).toThrow(/sealed under key .* not configured/);
  });

  it('does not open a value with any part changed', () => {
    const parts = sealer.seal('s3cret', 'row_1').split('.');
    for (const index of [2, 3, 4]) {
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

  it('after a rotation, opens values of the retired key and of the format before key ids, and re-seals them under the new key', async () => {
    const underOld = sealer.seal('s3cret', 'row_1');
    const v1 = sealV1(rootKey, 'older', 'row_1');
    const rotated = new Sealer({ current: newKey, previous: [rootKey] }, PURPOSE, 'test secret');
    expect(rotated.open(underOld, 'row_1')).toBe('s3cret');
    expect(rotated.open(v1, 'row_1')).toBe('older');
    expect(sealer.open(v1, 'row_1')).toBe('older');
    expect(() => rotated.open(sealV1(Buffer.alloc(32, 1), 'x', 'row_1'), 'row_1')).toThrow('opens under none of the configured keys');
    expect([rotated.isStale(underOld), rotated.isStale(v1)]).toEqual([true, true]);

    const stored: string[] = [];
    expect(await rotated.openAndRefresh(underOld, 'row_1', async (resealed) => stored.push(resealed))).toBe('s3cret');
    expect(await rotated.openAndRefresh(v1, 'row_1', async (resealed) => stored.push(resealed))).toBe('older');
    expect(stored.map((value) => value.split('.').slice(0, 2).join('.'))).toEqual([`v2.${keyIdOf(newKey)}`, `v2.${keyIdOf(newKey)}`]);
    expect(stored.map((value) => rotated.open(value, 'row_1'))).toEqual(['s3cret', 'older']);
    expect(rotated.isStale(stored[0] ?? '')).toBe(false);
    // Once current, nothing is written again; and the retired key alone no longer opens the new value.
    await rotated.openAndRefresh(stored[0] ?? '', 'row_1', async (resealed) => stored.push(resealed));
    expect(stored).toHaveLength(2);
    expect(() => sealer.open(stored[0] ?? '', 'row_1')).toThrow();
  });
});
