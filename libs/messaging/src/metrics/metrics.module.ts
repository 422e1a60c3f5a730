import { Global, Module } from '@nestjs/common';
import { AppMetrics } from './app-metrics';
import { DatabaseStatementMetrics } from './database-statement.metrics';
import { MetricsRegistry } from './metrics-registry';

/** The process's metrics registry, the metrics recorded as things happen (for any module to record into) and the database's statement count. */
@Global()
@Module({
  providers: [MetricsRegistry, AppMetrics, DatabaseStatementMetrics],
  exports: [MetricsRegistry, AppMetrics],
})
export class MetricsModule {}
