import { bearerToken, type ProviderDialect } from '../shared/provider-dialect';
import { graphError } from './meta-errors';

/** Meta's Graph API lives under `/graph/{version}`; the token is a Bearer header or `access_token`. */
export const metaDialect: ProviderDialect = {
  provider: 'meta',
  prefix: '/graph',
  honoursIdempotencyKeys: false,
  isAuthorized: (request) => {
    const query = request.query as Record<string, unknown> | undefined;
    return bearerToken(request) !== null || (typeof query?.access_token === 'string' && query.access_token !== '');
  },
  unauthorized: () => graphError(401, 'OAuthException', 104, 'An access token is required to request this resource.'),
  unknownRoute: (_method, url) =>
    graphError(400, 'OAuthException', 2500, `Unknown path components: ${url.split('?')[0]}`),
  malformedRequest: (message) => graphError(400, 'OAuthException', 100, `(#100) ${message}`),
  internalError: () =>
    graphError(500, 'OAuthException', 1, 'An unknown error occurred', { is_transient: true }),
  simulatedFailure: (status) =>
    status === 429
      ? graphError(429, 'OAuthException', 80007, '(#80007) Rate limit hit for WhatsApp Business Account.')
      : graphError(status, 'OAuthException', 2, 'Service temporarily unavailable', { is_transient: true }),
  idempotencyMismatch: () => graphError(400, 'OAuthException', 100, 'Idempotency keys are not supported.'),
  idempotencyInProgress: () => graphError(409, 'OAuthException', 100, 'Idempotency keys are not supported.'),
};
