import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DatabaseHealthIndicator, Readiness, RedisHealthIndicator } from '@numbers/messaging';
import { DatabaseHealthRepository } from '@numbers/persistence';
import { HealthController } from './health.controller';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
  controllers: [HealthController],
  providers: [DatabaseHealthRepository, DatabaseHealthIndicator, RedisHealthIndicator, Readiness],
  exports: [Readiness],
})
export class HealthModule {}
