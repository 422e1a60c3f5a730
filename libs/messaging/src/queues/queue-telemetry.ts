import type { AppConfig } from '@numbers/config';
import { BullMQOtel } from 'bullmq-otel';

/**
 * BullMQ's OpenTelemetry add-on for a `Queue` or `Worker` when tracing is on, else nothing (BullMQ
 * then traces nothing, at no cost). With it, adding a job records a producer span and its context
 * in the job, and the worker processes the job in a consumer span that is that context's child.
 */
export function queueTelemetry(config: AppConfig): BullMQOtel | undefined {
  return config.tracing.enabled ? new BullMQOtel({ tracerName: 'bullmq' }) : undefined;
}
