import { context, propagation } from '@opentelemetry/api';
import { currentLogContext } from '@numbers/contracts';

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

/**
 * The gateway request id of the work writing an outbox row: the request's own, or, in a worker,
 * that of the request its job descends from. Stored on the row (`request_id`) so the job carries
 * it on to the worker's log lines, tracing on or off. Null for work no request started (sweeps,
 * provider webhooks' jobs).
 */
export function activeRequestId(): string | null {
  return currentLogContext()?.reqId ?? null;
}
