import { createHash, timingSafeEqual } from 'node:crypto';

const BEARER = /^Bearer +(\S+) *$/i;
const BASIC = /^Basic +([A-Za-z0-9+/=]+) *$/i;

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * The token an `Authorization` header presents: `Bearer <token>`, or Basic credentials whose
 * password is the token (any user name), so a browser's own login prompt works.
 */
export function presentedAdminToken(authorization: string | string[] | undefined): string | null {
  if (typeof authorization !== 'string') return null;
  const bearer = BEARER.exec(authorization)?.[1];
  if (bearer) return bearer;
  const basic = BASIC.exec(authorization)?.[1];
  if (!basic) return null;
  const credentials = Buffer.from(basic, 'base64').toString('utf8');
  const colon = credentials.indexOf(':');
  return colon < 0 ? null : credentials.slice(colon + 1);
}

/**
 * Whether the header presents `token`, compared in constant time: both sides are hashed first, so
 * neither the content nor the length of the token leaks through the time taken.
 */
export function isAdminAuthorized(authorization: string | string[] | undefined, token: string): boolean {
  const presented = presentedAdminToken(authorization);
  return presented !== null && timingSafeEqual(digest(presented), digest(token));
}
