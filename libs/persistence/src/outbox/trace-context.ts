import { context, propagation } from '@opentelemetry/api';

/**
 * The W3C `traceparent` of the active span, stored on each outbox row so that the row's job
 * continues the trace of the request or job that wrote it. Null when tracing is off (no
 * propagator is registered, so nothing is injected).
 */
export function activeTraceparent(): string | null {
  const carrier: { traceparent?: string } = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}
