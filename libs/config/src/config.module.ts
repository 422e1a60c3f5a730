import { Global, Module } from '@nestjs/common';
import { AppConfig } from './app-config';

/** Validates the environment once at start-up and provides `AppConfig` to every module. */
@Global()
@Module({
  providers: [{ provide: AppConfig, useFactory: () => AppConfig.fromEnv() }],
  exports: [AppConfig],
})
export class ConfigModule {}
