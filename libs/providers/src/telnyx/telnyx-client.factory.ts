import Telnyx from 'telnyx';
import type { AppConfig } from '@numbers/config';
import { keepAliveFetch } from '../http/keep-alive-fetch';

export interface TelnyxClientTuning {
  /** Retries of the SDK on connection errors, 408, 409, 429 and 5xx. Default 2. */
  maxRetries?: number;
  timeoutMs?: number;
}

const TIMEOUT_MS = 30_000;
const MAX_RETRIES = 2;
/**
 * The longest one call of the default client can take: every try timing out, and the SDK's
 * backoff between tries (8 s at most each). A request sent longer ago has been answered or given up.
 */
export const TELNYX_CALL_LIMIT_MS = TIMEOUT_MS * (MAX_RETRIES + 1) + 8_000 * MAX_RETRIES;

/** The official Telnyx client at `TELNYX_API_BASE_URL` (`…/v2`), over `keepAliveFetch`; nothing read from the environment. */
export function createTelnyxClient(settings: AppConfig['telnyx'], tuning: TelnyxClientTuning = {}): Telnyx {
  return new Telnyx({
    apiKey: settings.apiKey,
    publicKey: settings.publicKey,
    clientID: null,
    clientSecret: null,
    baseURL: settings.apiBaseUrl,
    maxRetries: tuning.maxRetries ?? MAX_RETRIES,
    timeout: tuning.timeoutMs ?? TIMEOUT_MS,
    fetch: keepAliveFetch,
  });
}
