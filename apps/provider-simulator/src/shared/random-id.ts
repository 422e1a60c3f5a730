import { randomBytes, randomInt } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `prefix` + `length` random base62 characters, like Stripe's `cus_NffrFeUfNV2Hib`. */
export function randomId(prefix: string, length = 14): string {
  const bytes = randomBytes(length);
  let id = prefix;
  for (const byte of bytes) id += BASE62[byte % BASE62.length];
  return id;
}

/** A numeric id of `length` digits without a leading zero, like Telnyx's `1293384261075731499`. */
export function randomDigits(length: number): string {
  let digits = String(randomInt(1, 10));
  while (digits.length < length) digits += String(randomInt(0, 10));
  return digits;
}
