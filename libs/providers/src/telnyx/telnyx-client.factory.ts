import Telnyx from 'telnyx';
import type { AppConfig } from '@numbers/config';
import { keepAliveFetch } from '../http/keep-alive-fetch';

export interface TelnyxClientTuning {
  /** Retries of the SDK on connection errors, 408, 409, 429 and 5xx. Default 2. */
  maxRetries?: number;
  timeoutMs?: number;
}

/** The official Telnyx client at `TELNYX_API_BASE_URL` (`…/v2`), over `keepAliveFetch`; nothing read from the environment. */
export function createTelnyxClient(settings: AppConfig['telnyx'], tuning: TelnyxClientTuning = {}): Telnyx {
  return new Telnyx({
    apiKey: settings.apiKey,
    publicKey: settings.publicKey,
    clientID: null,
    clientSecret: null,
    baseURL: settings.apiBaseUrl,
    maxRetries: tuning.maxRetries ?? 2,
    timeout: tuning.timeoutMs ?? 30_000,
    fetch: keepAliveFetch,
  });
}
