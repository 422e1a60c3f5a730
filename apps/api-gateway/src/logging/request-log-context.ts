import type { LogContext } from '@numbers/messaging';

// A route about one number: `:phoneNumberId`, or the calling settings' `phone-numbers/:id/...`.
const NUMBER_ID_AFTER_PHONE_NUMBERS = /\/phone-numbers\/:id(\/|$)/;

/** What every line logged while answering a request carries: its id, and the number its route is about. */
export function requestLogContext(requestId: string, route: string | undefined, params: unknown): LogContext {
  const { phoneNumberId, id } = (params ?? {}) as { phoneNumberId?: string; id?: string };
  const numberId = phoneNumberId ?? (route && NUMBER_ID_AFTER_PHONE_NUMBERS.test(route) ? id : undefined);
  return numberId === undefined ? { reqId: requestId } : { reqId: requestId, numberId };
}
