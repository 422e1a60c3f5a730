/** How a caller should read a failure; the gateway maps each kind to one HTTP status. */
export type ErrorKind =
  | 'invalid'
  | 'unauthorized'
  | 'payment_required'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unprocessable'
  | 'rate_limited'
  /** A provider we depend on did not answer, or we could not do it in time now: our fault, the caller may retry later. */
  | 'unavailable';

/** Stable codes that clients may branch on. */
export const ERROR_CODES = {
  VALIDATION_FAILED: 'invalid',
  UNAUTHORIZED: 'unauthorized',
  NOT_FOUND: 'not_found',
  NUMBER_RELEASED: 'conflict',
  RATE_LIMITED: 'rate_limited',
  // Purchase (SPEC "Purchase") and inventory search.
  PLAN_FORBIDS_NUMBERS: 'forbidden',
  PLAN_LIMIT_REACHED: 'forbidden',
  PURCHASE_VELOCITY: 'conflict',
  COUNTRY_OUT_OF_STOCK: 'conflict',
  PHONE_NUMBER_UNAVAILABLE: 'conflict',
  CHECKOUT_PENDING: 'conflict',
  // Regulated countries (SPEC "The number lifecycle"): only a declined number can be remediated,
  // and a reuse must name a verification the account has.
  NUMBER_NOT_DECLINED: 'conflict',
  // Declined, but with no review case of ours to correct (not bought through the KYC form).
  KYC_CASE_MISSING: 'conflict',
  KYC_REUSE_NOT_FOUND: 'conflict',
  PAYMENTS_UNAVAILABLE: 'unavailable',
  CARRIER_UNAVAILABLE: 'unavailable',
  // Inbound webhooks (SPEC "Webhooks in"): nothing is stored when one of these is raised.
  INVALID_SIGNATURE: 'invalid',
  INVALID_PAYLOAD: 'invalid',
  INVALID_VERIFY_TOKEN: 'forbidden',
  // Idempotency-Key (SPEC "Calling"): the key was used with another body, or its first request
  // has not finished.
  IDEMPOTENCY_KEY_REUSED: 'unprocessable',
  IDEMPOTENCY_KEY_IN_FLIGHT: 'conflict',
  // WhatsApp calling (SPEC "Calling"): the number cannot call now, the consumer has not allowed
  // calls, or Meta's prompt rules refuse a permission request (checked by us before Meta is asked).
  NUMBER_NOT_ACTIVE: 'conflict',
  CALLING_NOT_ENABLED: 'unprocessable',
  CALLING_NOT_READY: 'conflict',
  OUTBOUND_CALLING_UNAVAILABLE: 'unprocessable',
  CALL_PERMISSION_REQUIRED: 'unprocessable',
  // The calling queue's oldest job has waited past CALL_ADMISSION_MAX_WAIT_MS: a call accepted
  // now would be dialed late, so none is accepted until it catches up (503 with Retry-After).
  CALLS_BUSY: 'unavailable',
  CUSTOMER_SERVICE_WINDOW_CLOSED: 'unprocessable',
  PERMISSION_REQUEST_DAILY_LIMIT: 'rate_limited',
  PERMISSION_REQUEST_WEEKLY_LIMIT: 'rate_limited',
  // Webhooks out (SPEC "Webhooks out"): a redelivery to an endpoint that is switched off.
  WEBHOOK_DISABLED: 'conflict',
  // A number's live state at Meta (GET /v1/whatsapp/number-info): Meta did not answer, or the
  // number is not on WhatsApp yet.
  META_UNAVAILABLE: 'unavailable',
  WHATSAPP_NOT_REGISTERED: 'conflict',
  // Stock watches: an account holds at most MAX_STOCK_WATCHES_PER_ACCOUNT.
  STOCK_WATCH_LIMIT_REACHED: 'conflict',
} as const satisfies Record<string, ErrorKind>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorDetails {
  /** The request field at fault, for validation errors. */
  param?: string;
  details?: unknown;
}

/** A failure that is part of the contract: it carries a stable code, never a provider's raw text. */
export class DomainError extends Error {
  readonly kind: ErrorKind;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: ErrorDetails = {},
  ) {
    super(message);
    this.name = 'DomainError';
    this.kind = ERROR_CODES[code];
  }
}

export function invalidParam(param: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', message, { param });
}

export function notFound(what: string): DomainError {
  return new DomainError('NOT_FOUND', `${what} not found`);
}
