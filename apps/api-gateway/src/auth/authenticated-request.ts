import type { FastifyRequest } from 'fastify';

/** Who is calling: set by the API-key guard on every /v1 request it lets through. */
export interface AuthenticatedAccount {
  accountId: string;
  apiKeyId: string;
}

export type AuthenticatedRequest = FastifyRequest & { auth?: AuthenticatedAccount };
