import Stripe from 'stripe';
import { isRetryableStatus, ProviderError } from '../provider-error';

/** Turns a Stripe SDK error into a `ProviderError`; anything else (a bug) is returned unchanged. */
export function fromStripeError(error: unknown, operation: string): unknown {
  if (!(error instanceof Stripe.errors.StripeError)) return error;
  const status = error.statusCode ?? null;
  const connectionError = error instanceof Stripe.errors.StripeConnectionError;
  const code = connectionError ? 'network_error' : (error.code ?? error.rawType ?? 'stripe_error');
  return new ProviderError({
    provider: 'stripe',
    operation,
    status: connectionError ? null : status,
    code,
    retryable: connectionError || (status !== null && isRetryableStatus(status)),
    detail: error.message,
  });
}
