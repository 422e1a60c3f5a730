import { trace } from '@opentelemetry/api';
import { currentLogContext, type LogContext } from '@numbers/contracts';

export { withLogContext, type LogContext } from '@numbers/contracts';

/** The fields `logContextMixin` adds to a log line. */
export type LogContextFields = LogContext & { traceId?: string; spanId?: string };

/**
 * pino's `mixin` for every Numbers process: the current request id (in a worker, that of the
 * request the job descends from), job id and number id where they exist, and the trace and span
 * ids of the active span when tracing is on. A new object each time (pino merges the line's own
 * fields into it, and those win).
 */
export function logContextMixin(): LogContextFields {
  const span = trace.getActiveSpan();
  const fields: LogContextFields = { ...currentLogContext() };
  if (span) {
    const { traceId, spanId } = span.spanContext();
    fields.traceId = traceId;
    fields.spanId = spanId;
  }
  return fields;
}
