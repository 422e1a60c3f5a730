import { AsyncLocalStorage } from 'node:async_hooks';
import { trace } from '@opentelemetry/api';

/** What the work being done is about, as far as it is known: the request or job, and the number. */
export interface LogContext {
  reqId?: string;
  jobId?: string;
  numberId?: string;
}

/** The fields `logContextMixin` adds to a log line. */
export type LogContextFields = LogContext & { traceId?: string; spanId?: string };

const current = new AsyncLocalStorage<LogContext>();

/**
 * Runs `work` in `context`: every line logged from it, its awaits and callbacks included,
 * carries the context's fields (`logContextMixin`). Set by the gateway for each request and by
 * `JobRouter` for each job.
 */
export function withLogContext<T>(context: LogContext, work: () => T): T {
  return current.run(context, work);
}

/**
 * pino's `mixin` for every Numbers process: the current request id, job id and number id where
 * they exist, and the trace and span ids of the active span when tracing is on. A new object each
 * time (pino merges the line's own fields into it, and those win).
 */
export function logContextMixin(): LogContextFields {
  const span = trace.getActiveSpan();
  const fields: LogContextFields = { ...current.getStore() };
  if (span) {
    const { traceId, spanId } = span.spanContext();
    fields.traceId = traceId;
    fields.spanId = spanId;
  }
  return fields;
}
