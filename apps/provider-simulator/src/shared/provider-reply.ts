/** A status and body in one provider's wire format. */
export interface ProviderReply {
  status: number;
  body: unknown;
}

/**
 * Thrown by a route handler to answer with a provider-shaped error; the provider scope's
 * error handler sends `reply` as is.
 */
export class ProviderReplyError extends Error {
  constructor(readonly reply: ProviderReply) {
    super(`provider error ${reply.status}`);
  }
}
