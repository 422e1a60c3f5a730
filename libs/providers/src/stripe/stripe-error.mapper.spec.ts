import Stripe from 'stripe';
import { ProviderError } from '../provider-error';
import { fromStripeError } from './stripe-error.mapper';

describe('fromStripeError', () => {
  it('maps API errors by status and keeps Stripe’s code', () => {
    const missing = fromStripeError(
      Stripe.errors.StripeError.generate({ type: 'invalid_request_error', code: 'resource_missing', statusCode: 404, message: 'No such customer' }),
      'customers.retrieve',
    );
    expect(missing).toMatchObject({ provider: 'stripe', status: 404, code: 'resource_missing', retryable: false });

    const limited = fromStripeError(Stripe.errors.StripeError.generate({ type: 'rate_limit_error', statusCode: 429, message: 'slow down' }), 'op');
    expect(limited).toMatchObject({ status: 429, code: 'rate_limit_error', retryable: true });
  });

  it('maps connection errors as retryable with no status', () => {
    const error = fromStripeError(new Stripe.errors.StripeConnectionError({ message: 'socket hang up' }), 'op');
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: null, code: 'network_error', retryable: true });
  });

  it('leaves errors that are not Stripe’s untouched', () => {
    const bug = new TypeError('undefined is not a function');
    expect(fromStripeError(bug, 'op')).toBe(bug);
  });
});
