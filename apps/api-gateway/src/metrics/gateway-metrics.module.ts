import { Module } from '@nestjs/common';
import { MetricsModule as MetricsRegistryModule } from '@numbers/messaging';
import { MetricsController } from './metrics.controller';

/** `GET /metrics`; the registry and the recorded metrics (global) come from @numbers/messaging. */
@Module({
  imports: [MetricsRegistryModule],
  controllers: [MetricsController],
})
export class GatewayMetricsModule {}
