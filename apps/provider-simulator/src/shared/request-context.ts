import type { FaultAction } from '../state/fault-rule.store';
import type { ProviderName } from './provider-name';

/** What the simulator learns about one request while answering it; read by the request log. */
export interface SimRequestContext {
  provider: ProviderName | null;
  fault: FaultAction | null;
  /** How long the answer waits once the route has run (a `delay-answer` fault). */
  answerDelayMs: number;
  idempotencyKey: string | null;
  replayed: boolean;
  /** The provider's id for this request, when it gives one (Stripe's `request-id` header). */
  requestId: string | null;
  /** Set while this request owns a fresh idempotency key, so its response gets stored. */
  idempotencyClaim: { scope: string; key: string } | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    sim: SimRequestContext;
  }
}

export function newRequestContext(provider: ProviderName | null): SimRequestContext {
  return { provider, fault: null, answerDelayMs: 0, idempotencyKey: null, replayed: false, requestId: null, idempotencyClaim: null };
}
