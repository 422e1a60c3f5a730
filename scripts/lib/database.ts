import { Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig } from '@numbers/config';
import {
  AccountRepository,
  ApiKeyRepository,
  Database,
  KycDocumentRepository,
  PersistenceModule,
  RegulatoryCaseRepository,
  SecretResealing,
  SipCredentialSealer,
  WebhookSecretSealer,
} from '@numbers/persistence';
import { localEnv } from './local-env';

@Module({})
class ScriptPersistenceModule {
  static on(config: AppConfig): DynamicModule {
    return {
      module: ScriptPersistenceModule,
      global: true,
      imports: [PersistenceModule],
      providers: [
        { provide: AppConfig, useValue: config },
        AccountRepository,
        ApiKeyRepository,
        // secrets:reseal
        SecretResealing,
        RegulatoryCaseRepository,
        KycDocumentRepository,
        SipCredentialSealer,
        WebhookSecretSealer,
      ],
      exports: [AppConfig, AccountRepository, ApiKeyRepository, SecretResealing],
    };
  }
}

/** What a script reads and writes: the database, and persistence's repositories as the apps get them. */
export interface ScriptDatabase {
  db: Database;
  get: INestApplicationContext['get'];
}

/**
 * Persistence wired as in the apps, configured like them (env/local.env under the environment,
 * or `config`), for the length of `work`: scripts go through the repositories, never pick a driver.
 */
export async function withDatabase<T>(work: (persistence: ScriptDatabase) => Promise<T>, config: AppConfig = AppConfig.fromEnv(localEnv())): Promise<T> {
  const context = await NestFactory.createApplicationContext(ScriptPersistenceModule.on(config), { logger: ['error', 'warn'] });
  try {
    return await work({ db: context.get(Database), get: context.get.bind(context) });
  } finally {
    await context.close();
  }
}
