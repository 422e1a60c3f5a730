import Stripe from 'stripe';
import type { AppConfig } from '@numbers/config';

export interface StripeClientTuning {
  /** Retries of the SDK on connection errors, 409 and 5xx (same idempotency key). Default 2. */
  maxNetworkRetries?: number;
  /** Each try; default `settings.timeoutMs` (STRIPE_TIMEOUT_MS). */
  timeoutMs?: number;
}

const STRIPE_NETWORK_RETRIES = 2;
/** The SDK's longest wait before a retry (`MAX_NETWORK_RETRY_DELAY_SEC`). */
const STRIPE_RETRY_DELAY_MAX_MS = 5_000;

/**
 * The longest one call of the client made by `createStripeClient` can take, retries and their
 * waits included: a caller that has not heard back by then never will.
 */
export function stripeCallLimitMs(settings: AppConfig['stripe']): number {
  return settings.timeoutMs * (STRIPE_NETWORK_RETRIES + 1) + STRIPE_RETRY_DELAY_MAX_MS * STRIPE_NETWORK_RETRIES;
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
    maxNetworkRetries: tuning.maxNetworkRetries ?? STRIPE_NETWORK_RETRIES,
    timeout: tuning.timeoutMs ?? settings.timeoutMs,
    telemetry: false,
    appInfo: { name: 'numbers' },
  });
}
