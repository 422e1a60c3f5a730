import type { DynamicModule } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import type { WorkerApp } from '@numbers/contracts';
import { LoggerModule, type Params } from 'nestjs-pino';
import { logContextMixin } from '../logging/log-context';
import { errorWithoutRowValues } from '../logging/log-serializers';

/** Fields that may carry secrets; pino replaces them wherever they appear in a log line. */
const REDACTED = [
  'password',
  '*.password',
  'apiKey',
  '*.apiKey',
  'secret',
  '*.secret',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  'sipPasswordSealed',
  '*.sipPasswordSealed',
];

/**
 * JSON logs (pino) for a worker process, one line per entry, tagged with the app's name and,
 * inside a job, its job id, number id and trace (`logContextMixin`); errors without row values.
 */
export function workerLoggerModule(app: WorkerApp): DynamicModule {
  return LoggerModule.forRootAsync({ inject: [AppConfig], useFactory: (config: AppConfig) => workerLoggerOptions(app, config) });
}

/** The options of `workerLoggerModule` (a spec adds a stream to capture the lines). */
export function workerLoggerOptions(app: WorkerApp, config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      base: { app, pid: process.pid },
      redact: { paths: REDACTED, censor: '[redacted]' },
      serializers: { err: errorWithoutRowValues },
      mixin: logContextMixin,
    },
  };
}
