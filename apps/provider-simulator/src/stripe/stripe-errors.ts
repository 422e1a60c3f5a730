import { ProviderReplyError, type ProviderReply } from '../shared/provider-reply';

type StripeErrorType = 'api_error' | 'card_error' | 'invalid_request_error' | 'idempotency_error' | 'rate_limit_error';

/** Stripe's error body: `{error:{type, message, code?, param?, doc_url?}}`. */
export function stripeError(
  status: number,
  type: StripeErrorType,
  message: string,
  extra: { code?: string; param?: string; decline_code?: string } = {},
): ProviderReply {
  const docUrl = extra.code ? `https://stripe.com/docs/error-codes/${extra.code.replace(/_/g, '-')}` : undefined;
  return { status, body: { error: { type, message, ...extra, ...(docUrl ? { doc_url: docUrl } : {}) } } };
}

export function resourceMissing(kind: string, id: string, param = 'id'): ProviderReplyError {
  return new ProviderReplyError(
    stripeError(404, 'invalid_request_error', `No such ${kind}: '${id}'`, { code: 'resource_missing', param }),
  );
}

/** A body parameter naming an object that does not exist: 400, where the URL's own object is a 404. */
export function paramObjectMissing(kind: string, id: string, param: string): ProviderReplyError {
  return new ProviderReplyError(
    stripeError(400, 'invalid_request_error', `No such ${kind}: '${id}'`, { code: 'resource_missing', param }),
  );
}

export function parameterMissing(param: string): ProviderReplyError {
  return new ProviderReplyError(
    stripeError(400, 'invalid_request_error', `Missing required param: ${param}.`, { code: 'parameter_missing', param }),
  );
}

export function parameterInvalid(param: string, message: string, code = 'parameter_invalid_integer'): ProviderReplyError {
  return new ProviderReplyError(stripeError(400, 'invalid_request_error', message, { code, param }));
}

export function invalidRequest(message: string, param?: string, code?: string): ProviderReplyError {
  return new ProviderReplyError(stripeError(400, 'invalid_request_error', message, { ...(param ? { param } : {}), ...(code ? { code } : {}) }));
}

/** A declined charge: 402 `card_error`, as Stripe answers when paying fails. */
export function cardDeclined(declineCode = 'generic_decline'): ProviderReplyError {
  return new ProviderReplyError(stripeError(402, 'card_error', 'Your card was declined.', { code: 'card_declined', decline_code: declineCode }));
}
