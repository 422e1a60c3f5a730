import { createHash } from 'node:crypto';
import { invalidParam } from '../errors/domain-error';

/** The header a client retries a POST under (SPEC "Calling"; purchase takes it too). */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** Stripe's limit; printable ASCII only, so the key can be logged and compared byte for byte. */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** A remembered answer is replayed for a day, like Stripe's keys. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60_000;

/** The header's value, checked; undefined when the request carries none. */
export function readIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (Array.isArray(header) || !KEY_PATTERN.test(header)) {
    throw invalidParam(IDEMPOTENCY_KEY_HEADER, `${IDEMPOTENCY_KEY_HEADER} must be 1 to 255 printable ASCII characters, sent once`);
  }
  return header;
}

/**
 * SHA-256 of the body in canonical JSON (object keys sorted at every depth): the same request
 * sent with its fields in another order is the same request.
 */
export function requestFingerprint(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body ?? null)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
