import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';

/** Requests nobody wants a trace of: probes and scrapes, every few seconds. */
const UNTRACED_PATHS = ['/health', '/metrics'];

/**
 * The OpenTelemetry SDK of one process: spans of inbound HTTP (Fastify's server is Node's),
 * Nest's route handlers, pg, ioredis, and outbound HTTP (Stripe's SDK over node:http; Telnyx,
 * Meta over fetch, which is undici), sent in batches over OTLP/HTTP (JSON). Traces only:
 * metrics are Prometheus' and logs pino's, so the SDK's own defaults (OTLP for both) are off.
 * pg, Redis and outbound calls are traced only under a span (a request, a job): the relay's
 * polling and BullMQ's blocking reads would otherwise be a trace each, many times a second.
 */
export function startTracingSdk(service: string): NodeSDK {
  const sdk = new NodeSDK({
    serviceName: service,
    traceExporter: new OTLPTraceExporter(),
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.some((path) => request.url === path || request.url?.startsWith(`${path}/`)),
        requireParentforOutgoingSpans: true,
        // Meta's subscription handshake carries our verify token in the query.
        redactedQueryParamsServer: ['hub.verify_token'],
      }),
      new UndiciInstrumentation({ requireParentforSpans: true }),
      new NestInstrumentation(),
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  return sdk;
}
