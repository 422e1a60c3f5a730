import { bearerToken, type ProviderDialect } from '../shared/provider-dialect';
import { stripeError } from './stripe-errors';

/**
 * Stripe's API lives under `/v1`; secret keys (`sk_…`, `rk_…`) go in a Bearer header, or as the
 * Basic-auth user name (`curl -u sk_test_…:`), as Stripe's own examples do.
 */
export const stripeDialect: ProviderDialect = {
  provider: 'stripe',
  prefix: '/v1',
  honoursIdempotencyKeys: true,
  isAuthorized: (request) => /^(sk|rk)_[A-Za-z0-9_]+$/.test(bearerToken(request) ?? basicUser(request.headers.authorization) ?? ''),
  unauthorized: () =>
    stripeError(
      401,
      'invalid_request_error',
      'You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth.',
    ),
  unknownRoute: (method, url) =>
    stripeError(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${url}).`),
  malformedRequest: (message) => stripeError(400, 'invalid_request_error', message),
  internalError: () => stripeError(500, 'api_error', 'An unknown error occurred on our servers.'),
  simulatedFailure: (status) =>
    status === 429
      ? stripeError(429, 'rate_limit_error', 'Too many requests hit the API too quickly.', { code: 'rate_limit' })
      : stripeError(status, 'api_error', 'Simulated failure: the request could not be processed.'),
  idempotencyMismatch: (key) =>
    stripeError(
      400,
      'idempotency_error',
      `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
    ),
  idempotencyInProgress: () =>
    stripeError(
      409,
      'idempotency_error',
      'There is currently another in-progress request using this Stripe API key and idempotency key. Please try again later.',
    ),
};

function basicUser(header: string | undefined): string | null {
  const match = /^Basic\s+(\S+)$/i.exec(header?.trim() ?? '');
  return match ? Buffer.from(match[1], 'base64').toString('utf8').split(':')[0] : null;
}
