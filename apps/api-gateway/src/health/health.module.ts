import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DatabaseHealthRepository } from '@numbers/persistence';
import { HealthController } from './health.controller';
import { DatabaseHealthIndicator, RedisHealthIndicator } from './dependency-health.indicators';
import { Readiness } from './readiness';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
  controllers: [HealthController],
  providers: [DatabaseHealthRepository, DatabaseHealthIndicator, RedisHealthIndicator, Readiness],
  exports: [Readiness],
})
export class HealthModule {}
