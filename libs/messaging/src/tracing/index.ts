import { ConfigError, loadConfig, tracingConfigSchema, tracingEnabled } from '@numbers/config';
import type { NodeSDK } from '@opentelemetry/sdk-node';

let sdk: NodeSDK | undefined;

/**
 * Starts OpenTelemetry in this process when tracing is on (OTEL_EXPORTER_OTLP_ENDPOINT or
 * TRACING_ENABLED), as `service`. It must run before NestJS, pg and ioredis are loaded, or
 * their instrumentations cannot patch them: each app's `tracing.ts` calls it, and is the first
 * import of its `main.ts`. Off, nothing of the SDK is loaded at all.
 */
export function startTracing(service: string): void {
  try {
    if (!tracingEnabled(loadConfig(tracingConfigSchema))) return;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${JSON.stringify({ level: 60, app: service, msg: `${service} failed to boot: ${error.message}` })}\n`);
    process.exit(1);
  }
  // Required only now, so that a process without tracing never loads the SDK.
  const { startTracingSdk } = require('./tracing-sdk') as typeof import('./tracing-sdk');
  sdk = startTracingSdk(service);
}

/** Sends the spans still buffered and stops the SDK (at shutdown); nothing when tracing is off. */
export async function stopTracing(): Promise<void> {
  await sdk?.shutdown();
  sdk = undefined;
}
