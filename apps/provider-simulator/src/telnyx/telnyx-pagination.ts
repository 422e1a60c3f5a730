import { queryString } from './telnyx-query';

/** Telnyx's page envelope: `page[number]`/`page[size]` in, `meta.{page_number,total_pages,…}` out. */
export function paginate(items: Record<string, unknown>[], query: Record<string, unknown>): Record<string, unknown> {
  const size = Math.min(250, Math.max(1, Number(queryString(query, 'page', 'size') ?? 20) || 20));
  const number = Math.max(1, Number(queryString(query, 'page', 'number') ?? 1) || 1);
  const totalPages = Math.max(1, Math.ceil(items.length / size));
  return {
    data: items.slice((number - 1) * size, number * size),
    meta: { page_number: number, page_size: size, total_pages: totalPages, total_results: items.length },
  };
}
