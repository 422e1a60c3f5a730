/**
 * The call log's cursor: the last row of a page as `<ISO instant>_<id>`. Keyset paging on
 * (created_at, id), newest first: a row inserted while a client pages is either above the first
 * page or found by no page twice, and rows of the same millisecond are neither skipped nor
 * repeated. A bare ISO instant is read too (the SDK documents `before` as an instant): strictly
 * before it.
 */
import { isId } from '../ids/ids';

export interface CallCursor {
  createdAt: Date;
  /** Null for a bare instant: every call of that millisecond is after the cursor. */
  id: string | null;
}

export function encodeCallCursor(createdAt: Date, id: string): string {
  return `${createdAt.toISOString()}_${id}`;
}

/** The cursor, or null when `value` is neither a cursor nor an ISO instant. */
export function decodeCallCursor(value: string): CallCursor | null {
  const separator = value.lastIndexOf('_');
  const instant = separator === -1 ? value : value.slice(0, separator);
  const id = separator === -1 ? null : value.slice(separator + 1);
  if (id !== null && !isId(id)) return null;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(instant)) return null;
  const createdAt = new Date(instant);
  return Number.isNaN(createdAt.getTime()) ? null : { createdAt, id };
}
