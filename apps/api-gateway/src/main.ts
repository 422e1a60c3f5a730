import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ConfigModule, AppConfig } from '@numbers/config';

@Module({ imports: [ConfigModule] })
class AppModule {}

async function bootstrap() {
  const app = await NestFactory.create(AppModule, new FastifyAdapter());
  await app.listen(app.get(AppConfig).gateway.port, '0.0.0.0');
}
void bootstrap();
