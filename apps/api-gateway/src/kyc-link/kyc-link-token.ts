import { createHash, randomBytes } from 'node:crypto';

/** A link token: 32 random bytes, base64url, with a prefix that says what it is. */
const TOKEN = /^kycl_[A-Za-z0-9_-]{43}$/;

export function newKycLinkToken(): { token: string; hash: string } {
  const token = `kycl_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashKycLinkToken(token) };
}

/** What is stored and looked up: the token's SHA-256 (a leaked table opens no page). */
export function hashKycLinkToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function isKycLinkToken(value: unknown): value is string {
  return typeof value === 'string' && TOKEN.test(value);
}
