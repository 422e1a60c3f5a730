/**
 * Fields of pg's DatabaseError that can carry row values: `detail` (`Key (phone_number)=(+1415…)
 * already exists`) and `where` (the PL/pgSQL context, with the values it was called with).
 */
const ROW_VALUE_FIELDS = ['detail', 'where'];

const isErrorLike = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';

/**
 * The `err` serializer of every process's logger, run on what pino's own error serializer made
 * (pino-http wraps it so): the error without the fields that can carry row values, in the
 * errors it holds too (an AggregateError's, an error in a field), which pino serialized afresh.
 */
export function errorWithoutRowValues<T>(serialized: T): T {
  strip(serialized, new Set());
  return serialized;
}

function strip(value: unknown, seen: Set<unknown>): void {
  if (!isErrorLike(value) || seen.has(value)) return;
  seen.add(value);
  for (const field of ROW_VALUE_FIELDS) delete value[field];
  for (const nested of Object.values(value)) {
    if (Array.isArray(nested)) nested.forEach((item) => strip(item, seen));
    else strip(nested, seen);
  }
}
