import { Global, Module } from '@nestjs/common';
import { AppMetrics } from './app-metrics';
import { MetricsRegistry } from './metrics-registry';

/** The process's metrics registry and the metrics recorded as things happen, for any module to record into. */
@Global()
@Module({
  providers: [MetricsRegistry, AppMetrics],
  exports: [MetricsRegistry, AppMetrics],
})
export class MetricsModule {}
