// Imported first by main.ts: tracing must start before NestJS, pg and ioredis are loaded.
import { startTracing } from '@numbers/messaging/tracing';

startTracing('calling-worker');
