import { bearerToken, type ProviderDialect } from '../shared/provider-dialect';
import { telnyxError } from './telnyx-errors';

/**
 * Telnyx API v2 lives under `/v2` (the SDK's baseURL is `<sim>/v2`). The simulator honours an
 * `Idempotency-Key` header on mutating calls so a retried release is answered, not repeated.
 */
export const telnyxDialect: ProviderDialect = {
  provider: 'telnyx',
  prefix: '/v2',
  honoursIdempotencyKeys: true,
  isAuthorized: (request) => bearerToken(request) !== null,
  unauthorized: () =>
    telnyxError(401, '10009', 'Authentication failed', 'The API key looks malformed. Check that you copied it correctly.'),
  unknownRoute: () =>
    telnyxError(404, '10005', 'Resource not found', 'The requested resource or URL could not be found.'),
  malformedRequest: (message) => telnyxError(400, '10015', 'Bad Request', message),
  internalError: () => telnyxError(500, '10007', 'Unexpected error', 'An unexpected error occured.'),
  simulatedFailure: (status) =>
    status === 429
      ? telnyxError(429, '10011', 'Too many requests', 'Too many requests. Please try again later.')
      : telnyxError(status, '10007', 'Unexpected error', 'Simulated failure: the request could not be processed.'),
  // Telnyx documents no idempotency error; these mirror Stripe's semantics in Telnyx's shape.
  idempotencyMismatch: (key) =>
    telnyxError(422, 'idempotency_key_reused', 'Idempotency key reused', `Key '${key}' was first used with other parameters.`),
  idempotencyInProgress: (key) =>
    telnyxError(409, 'idempotency_key_in_progress', 'Request in progress', `A request with key '${key}' is still running.`),
};
