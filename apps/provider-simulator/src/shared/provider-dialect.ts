import type { FastifyRequest } from 'fastify';
import type { ProviderName } from './provider-name';
import type { ProviderReply } from './provider-reply';

/**
 * How one provider speaks on the wire: where its API lives, how it checks credentials and
 * how it shapes the errors the generic machinery (faults, idempotency, 404s) must answer with.
 */
export interface ProviderDialect {
  readonly provider: ProviderName;
  /** URL prefix of the provider's API in the simulator, e.g. `/v1`. */
  readonly prefix: string;
  /** Whether the provider honours an `Idempotency-Key` header on mutating calls. */
  readonly honoursIdempotencyKeys: boolean;
  isAuthorized(request: FastifyRequest): boolean;
  unauthorized(): ProviderReply;
  unknownRoute(method: string, url: string): ProviderReply;
  malformedRequest(message: string): ProviderReply;
  internalError(): ProviderReply;
  simulatedFailure(status: number): ProviderReply;
  idempotencyMismatch(key: string): ProviderReply;
  idempotencyInProgress(key: string): ProviderReply;
}

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match ? match[1] : null;
}
