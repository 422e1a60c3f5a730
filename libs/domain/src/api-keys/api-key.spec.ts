import { createHash } from 'node:crypto';
import { apiKeyMatches, generateApiKey, hashApiKey, parseApiKey } from './api-key';

describe('API keys', () => {
  it('generates nk_<12-char prefix>_<secret> keys whose hash is the SHA-256 of the whole key', () => {
    const { key, prefix, hash } = generateApiKey();
    expect(key).toMatch(/^nk_[0-9A-Za-z]{12}_[0-9A-Za-z]{43}$/);
    expect(key.split('_')[1]).toBe(prefix);
    expect(hash).toBe(createHash('sha256').update(key).digest('hex'));
    expect(hashApiKey(key)).toBe(hash);
  });

  it('never repeats a key or a prefix', () => {
    const keys = Array.from({ length: 2000 }, () => generateApiKey());
    expect(new Set(keys.map((k) => k.key)).size).toBe(2000);
    expect(new Set(keys.map((k) => k.prefix)).size).toBe(2000);
  });

  it('parses the prefix of a well-formed key only', () => {
    const { key, prefix } = generateApiKey();
    expect(parseApiKey(key)).toBe(prefix);
    expect(parseApiKey(`nk_abcdefABCDEF_${'0'.repeat(32)}`)).toBe('abcdefABCDEF');
    for (const bad of [
      undefined,
      null,
      42,
      '',
      'nk_',
      `sk_${prefix}_${'a'.repeat(40)}`,
      `nk_${prefix}_short`,
      `nk_${prefix.slice(1)}_${'a'.repeat(40)}`,
      `nk_${prefix}_${'a'.repeat(40)}!`,
      ` ${key}`,
      `${key}\n`,
      `nk_${prefix}_${'a'.repeat(129)}`,
    ]) {
      expect(parseApiKey(bad)).toBeNull();
    }
  });

  it('matches a key against its stored hash in constant time, and nothing else', () => {
    const { key, hash } = generateApiKey();
    expect(apiKeyMatches(key, hash)).toBe(true);
    expect(apiKeyMatches(`${key}x`, hash)).toBe(false);
    expect(apiKeyMatches(generateApiKey().key, hash)).toBe(false);
    expect(apiKeyMatches(key, 'not-hex')).toBe(false);
    expect(apiKeyMatches(key, '')).toBe(false);
  });
});
