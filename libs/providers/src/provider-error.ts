export type ProviderName = 'stripe' | 'telnyx' | 'meta';

export interface ProviderErrorInit {
  provider: ProviderName;
  /** What we asked, e.g. `subscriptions.update`. */
  operation: string;
  /** HTTP status the provider answered; null when no answer came (network, timeout). */
  status: number | null;
  /** The provider's error code (`resource_missing`, `10005`, `100`) or ours (`network_error`). */
  code: string;
  retryable: boolean;
  /** The provider's message, secrets redacted. */
  detail?: string;
}

/**
 * A provider call that failed, reduced to what a caller decides on: retry later
 * (`retryable`: no answer, 408, 409, 429, 5xx) or stop (other 4xx). Carries no request data,
 * headers or raw provider error, so it can be logged and stored as is.
 */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  readonly provider: ProviderName;
  readonly operation: string;
  readonly status: number | null;
  readonly code: string;
  readonly retryable: boolean;
  readonly detail: string | undefined;

  constructor(init: ProviderErrorInit) {
    const detail = init.detail === undefined ? undefined : redactSecrets(init.detail).slice(0, 300);
    super(`${init.provider} ${init.operation} failed: ${init.status ?? 'no response'} ${init.code}${detail ? ` (${detail})` : ''}`);
    this.provider = init.provider;
    this.operation = init.operation;
    this.status = init.status;
    this.code = init.code;
    this.retryable = init.retryable;
    this.detail = detail;
  }
}

/** Whether a call that ended with `status` (null: no answer) may succeed if tried again. */
export function isRetryableStatus(status: number | null): boolean {
  return status === null || status === 408 || status === 409 || status === 429 || status >= 500;
}

const SECRET_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/\b(sk|rk|pk)_(live|test)_[A-Za-z0-9_]+/g, '$1_$2_[redacted]'],
  [/\bwhsec_[A-Za-z0-9_]+/g, 'whsec_[redacted]'],
  [/\bKEY[A-Za-z0-9_]{8,}/g, 'KEY[redacted]'],
  [/\bBearer\s+\S+/gi, 'Bearer [redacted]'],
  [/\baccess_token=[^&\s]+/gi, 'access_token=[redacted]'],
];

/** Masks API keys, webhook secrets and tokens that a provider message might echo. */
export function redactSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}
