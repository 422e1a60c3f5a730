import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * This process's metrics, served as Prometheus text at /metrics, with Node's process defaults
 * (CPU, memory, event loop lag, GC). One registry per Nest application rather than prom-client's
 * global one, so the several apps a test process boots never register a metric twice.
 */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Every metric, the collected-on-scrape ones read now. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
