export * from './app-metrics';
export * from './database-statement.metrics';
export * from './gauge-read-on-scrape';
export * from './metrics-registry';
export * from './metrics.module';
export * from './worker-metrics.collectors';
