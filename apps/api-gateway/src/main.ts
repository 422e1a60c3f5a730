import './tracing';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig } from '@numbers/config';
import { AppModule } from './app/app.module';
import { configureGateway, createFastifyAdapter } from './app/gateway-app';

async function bootstrap(): Promise<void> {
  // rawBody: JSON requests also keep their bytes (`req.rawBody`): webhook signatures are checked on them.
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createFastifyAdapter(), { bufferLogs: true, rawBody: true });
  configureGateway(app);
  app.enableShutdownHooks();
  await app.listen({ port: app.get(AppConfig).gateway.port, host: '0.0.0.0' });
}

bootstrap().catch((error: unknown) => {
  console.error('api-gateway failed to start', error);
  process.exit(1);
});
