import { Logger } from '@nestjs/common';
import { Gauge, type LabelValues, type Registry } from 'prom-client';
import { withTimeout } from '../health/with-timeout';

export interface GaugeReading<L extends string> {
  labels?: LabelValues<L>;
  value: number;
}

export interface GaugeReadOnScrapeOptions<L extends string> {
  registry: Registry;
  name: string;
  help: string;
  labelNames?: readonly L[];
  /** What `read` asks, named in the log when it fails: 'PostgreSQL', 'Redis'. */
  source: string;
  read: () => Promise<GaugeReading<L>[]>;
}

const logger = new Logger('Metrics');

/**
 * A gauge whose values are read when Prometheus scrapes. A read that fails or takes longer than a
 * health check may leaves the gauge empty (no stale value) and is logged; the scrape still answers
 * with every other metric.
 */
export function gaugeReadOnScrape<L extends string>(options: GaugeReadOnScrapeOptions<L>): Gauge<L> {
  const { registry, name, help, labelNames = [], source, read } = options;
  const gauge: Gauge<L> = new Gauge<L>({
    name,
    help,
    labelNames,
    registers: [registry],
    async collect() {
      try {
        const readings = await withTimeout(read(), source);
        gauge.reset();
        for (const { labels, value } of readings) {
          if (labels) gauge.set(labels, value);
          else gauge.set(value);
        }
      } catch (error) {
        gauge.reset();
        logger.warn({ metric: name, err: error instanceof Error ? error.message : String(error) }, 'metric not collected');
      }
    },
  });
  return gauge;
}
