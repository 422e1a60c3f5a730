import { isId, newId } from './ids';

describe('ids', () => {
  it('are 24 lowercase hex characters, ordered by creation second', () => {
    const a = newId(new Date('2026-01-01T00:00:00Z'));
    const b = newId(new Date('2026-01-01T00:00:01Z'));
    expect(isId(a)).toBe(true);
    expect(a < b).toBe(true);
    expect(a.slice(0, 8)).toBe((Date.UTC(2026, 0, 1) / 1000).toString(16));
  });

  it('rejects anything else', () => {
    for (const bad of ['', 'ABCDEF0123456789abcdef01', '123', 'g'.repeat(24), 42, null, `${newId()}x`]) {
      expect(isId(bad)).toBe(false);
    }
  });
});
