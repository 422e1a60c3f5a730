import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { AppConfig, ConfigModule } from '@numbers/config';
import { RequestRedisModule, TracingShutdown } from '@numbers/messaging';
import { ApiKeyRepository, PersistenceModule } from '@numbers/persistence';
import { LoggerModule } from 'nestjs-pino';
import { QueueBoardModule } from '../admin/queue-board';
import { ApiKeyAuthenticator } from '../auth/api-key-authenticator';
import { CallingModule } from '../calling/calling.module';
import { CustomerWebhooksModule } from '../customer-webhooks/customer-webhooks.module';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { HealthModule } from '../health/health.module';
import { KycModule } from '../kyc/kyc.module';
import { KycLinkModule } from '../kyc-link/kyc-link.module';
import { GatewayMetricsModule } from '../metrics/gateway-metrics.module';
import { ApiExceptionFilter } from '../http/api-exception.filter';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { GracefulShutdown } from './graceful-shutdown';
import { loggerOptions } from '../logging/logger.options';
import { NumbersModule } from '../numbers/numbers.module';
import { PurchaseModule } from '../purchase/purchase.module';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard';
import { StockWatchesModule } from '../stock-watches/stock-watches.module';
import { WebhooksModule } from '../webhooks/webhooks.module';

/** The public REST API. Stateless: every piece of state lives in PostgreSQL or Redis. */
@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync({ inject: [AppConfig], useFactory: loggerOptions }),
    PersistenceModule,
    RequestRedisModule,
    HealthModule,
    GatewayMetricsModule,
    NumbersModule,
    PurchaseModule,
    KycModule,
    KycLinkModule,
    CallingModule,
    WebhooksModule,
    CustomerWebhooksModule,
    StockWatchesModule,
    QueueBoardModule,
  ],
  providers: [
    ApiKeyRepository,
    ApiKeyAuthenticator,
    // Guards run in this order: who is calling, then how often.
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
    { provide: APP_PIPE, useClass: ZodValidationPipe },
    // Here, in the root module, so that Nest runs it before it closes any other module.
    GracefulShutdown,
    TracingShutdown,
  ],
})
export class AppModule {}
