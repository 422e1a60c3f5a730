import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `nk_<prefix>_<secret>`: the prefix (12 base62 characters) finds the
 * stored row, the secret (43 base62 characters, ~256 bits) proves possession. Only the prefix
 * and the SHA-256 of the whole key are stored; the key itself is shown once.
 */
export const API_KEY_MARKER = 'nk';
export const API_KEY_PREFIX_LENGTH = 12;
export const API_KEY_SECRET_LENGTH = 43;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const API_KEY_PATTERN = new RegExp(`^${API_KEY_MARKER}_([0-9A-Za-z]{${API_KEY_PREFIX_LENGTH}})_[0-9A-Za-z]{32,128}$`);

export interface GeneratedApiKey {
  /** The whole key: give it to the customer once, never store it. */
  key: string;
  /** Stored in clear and unique: the look-up handle. */
  prefix: string;
  /** SHA-256 hex of the whole key: what is stored to check it. */
  hash: string;
}

/** Uniform base62 characters from the CSPRNG (rejection sampling: no modulo bias). */
function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function generateApiKey(): GeneratedApiKey {
  const prefix = randomBase62(API_KEY_PREFIX_LENGTH);
  const key = `${API_KEY_MARKER}_${prefix}_${randomBase62(API_KEY_SECRET_LENGTH)}`;
  return { key, prefix, hash: hashApiKey(key) };
}

/** The prefix of a well-formed key, or null for anything that is not one. */
export function parseApiKey(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const match = API_KEY_PATTERN.exec(raw);
  return match ? match[1] : null;
}

/** Whether `key` hashes to `storedHash`, compared in constant time. */
export function apiKeyMatches(key: string, storedHash: string): boolean {
  const actual = Buffer.from(hashApiKey(key), 'hex');
  const expected = Buffer.from(storedHash, 'hex');
  return expected.length === actual.length && timingSafeEqual(actual, expected);
}
