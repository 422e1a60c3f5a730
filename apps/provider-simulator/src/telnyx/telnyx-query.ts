import type { FastifyRequest } from 'fastify';
import qs from 'qs';

/**
 * The request's query with Telnyx's deep-object keys decoded (`filter[phone_number][contains]`
 * → `{filter:{phone_number:{contains}}}`); the SDK joins arrays with commas.
 */
export function telnyxQuery(request: FastifyRequest): Record<string, unknown> {
  const search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
  return qs.parse(search, { depth: 5 }) as Record<string, unknown>;
}

/** A string leaf at `path` (`['filter', 'country_code']`), or undefined. */
export function queryString(query: Record<string, unknown>, ...path: string[]): string | undefined {
  let value: unknown = query;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return typeof value === 'string' && value !== '' ? value : undefined;
}
