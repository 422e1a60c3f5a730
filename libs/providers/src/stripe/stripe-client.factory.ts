import Stripe from 'stripe';
import type { AppConfig } from '@numbers/config';

export interface StripeClientTuning {
  /** Retries of the SDK on connection errors, 409 and 5xx (same idempotency key). Default 2. */
  maxNetworkRetries?: number;
  timeoutMs?: number;
}

/**
 * The official Stripe client pointed at `STRIPE_API_BASE_URL` (Stripe itself, or the
 * simulator). The SDK adds `/v1`, so the base URL carries scheme, host and port only.
 */
export function createStripeClient(settings: AppConfig['stripe'], tuning: StripeClientTuning = {}): Stripe {
  const url = new URL(settings.apiBaseUrl);
  if (url.pathname !== '/' || url.search !== '') {
    throw new Error('STRIPE_API_BASE_URL must be scheme://host[:port] only: the Stripe SDK adds /v1 itself');
  }
  const protocol = url.protocol === 'https:' ? 'https' : url.protocol === 'http:' ? 'http' : null;
  if (!protocol) throw new Error('STRIPE_API_BASE_URL must be http or https');
  return new Stripe(settings.apiKey, {
    host: url.hostname,
    port: url.port || (protocol === 'https' ? 443 : 80),
    protocol,
    maxNetworkRetries: tuning.maxNetworkRetries ?? 2,
    timeout: tuning.timeoutMs ?? 30_000,
    telemetry: false,
    appInfo: { name: 'numbers' },
  });
}
