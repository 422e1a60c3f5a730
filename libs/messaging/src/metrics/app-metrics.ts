import { Injectable } from '@nestjs/common';
import type { QueueName, WebhookProvider } from '@numbers/contracts';
import { Counter, Histogram } from 'prom-client';
import { MetricsRegistry } from './metrics-registry';

/** How a job run ended: done; deferred (back to its queue, attempt unspent); failed with attempts left; failed for good. */
export type JobRunOutcome = 'completed' | 'deferred' | 'retry' | 'failed';
/** What became of a provider's webhook event: stored for its worker, already stored, or refused (the whole request). */
export type WebhookInOutcome = 'stored' | 'duplicate' | 'invalid_signature' | 'invalid_payload';
/** What one delivery attempt to a customer's endpoint did (docs/webhooks.md). */
export type DeliveryOutcome = 'delivered' | 'failed' | 'gave_up' | 'skipped';

const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** Up to the slowest provider call a job makes (30 s a try) and past it. */
const JOB_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/**
 * The metrics the code records as things happen (those read on scrape are collectors of their
 * own). Every label is bounded: route templates, never ids; queues, jobs, providers and outcomes
 * from closed lists. Recording is an in-memory increment: cheap on every request and job.
 */
@Injectable()
export class AppMetrics {
  private readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  private readonly jobDuration: Histogram<'queue' | 'job' | 'outcome'>;
  private readonly webhooksIn: Counter<'provider' | 'outcome'>;
  private readonly deliveriesOut: Counter<'outcome'>;

  constructor({ registry }: MetricsRegistry) {
    this.httpDuration = new Histogram({
      name: 'numbers_http_request_duration_seconds',
      help: 'Gateway requests by method, route template (unmatched: no route) and status code',
      labelNames: ['method', 'route', 'status_code'],
      registers: [registry],
    });
    this.jobDuration = new Histogram({
      name: 'numbers_job_duration_seconds',
      help: 'BullMQ job runs by queue, job name and outcome (completed, deferred, retry, failed)',
      labelNames: ['queue', 'job', 'outcome'],
      buckets: JOB_BUCKETS,
      registers: [registry],
    });
    this.webhooksIn = new Counter({
      name: 'numbers_webhooks_received_total',
      help: "Providers' webhook events by provider and outcome (stored, duplicate; refused requests: invalid_signature, invalid_payload)",
      labelNames: ['provider', 'outcome'],
      registers: [registry],
    });
    this.deliveriesOut = new Counter({
      name: 'numbers_webhook_deliveries_total',
      help: "Delivery attempts to customers' webhook endpoints by outcome (delivered, failed: retried, gave_up, skipped)",
      labelNames: ['outcome'],
      registers: [registry],
    });
  }

  /** `route`: the route's template (`/v1/whatsapp/phone-numbers/:phoneNumberId`), undefined when none matched. */
  httpRequest(method: string, route: string | undefined, statusCode: number, seconds: number): void {
    this.httpDuration.observe({ method: HTTP_METHODS.has(method) ? method : 'OTHER', route: route ?? 'unmatched', status_code: String(statusCode) }, seconds);
  }

  jobRun(queue: QueueName, job: string, outcome: JobRunOutcome, seconds: number): void {
    this.jobDuration.observe({ queue, job, outcome }, seconds);
  }

  webhookReceived(provider: WebhookProvider, outcome: WebhookInOutcome, events = 1): void {
    if (events > 0) this.webhooksIn.inc({ provider, outcome }, events);
  }

  webhookDelivery(outcome: DeliveryOutcome): void {
    this.deliveriesOut.inc({ outcome });
  }
}
