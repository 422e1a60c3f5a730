/** Every mutating provider call needs a key; a missing one is a bug in the caller. */
export function requireIdempotencyKey(key: string, operation: string): string {
  if (typeof key !== 'string' || key.trim() === '') throw new Error(`${operation} needs an idempotency key`);
  return key;
}
