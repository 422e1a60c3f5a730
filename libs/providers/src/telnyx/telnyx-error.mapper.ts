import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'telnyx';
import { isRetryableStatus, ProviderError } from '../provider-error';

interface TelnyxErrorBody {
  errors?: Array<{ code?: string; title?: string; detail?: string }>;
}

/** Turns a Telnyx SDK error into a `ProviderError`; anything else (a bug) is returned unchanged. */
export function fromTelnyxError(error: unknown, operation: string): unknown {
  if (!(error instanceof APIError)) return error;
  if (error instanceof APIConnectionError) {
    const code = error instanceof APIConnectionTimeoutError ? 'timeout' : 'network_error';
    return new ProviderError({ provider: 'telnyx', operation, status: null, code, retryable: true });
  }
  const status = error.status ?? null;
  const first = (error.error as TelnyxErrorBody | undefined)?.errors?.[0];
  return new ProviderError({
    provider: 'telnyx',
    operation,
    status,
    code: first?.code ?? `http_${status ?? 'error'}`,
    retryable: isRetryableStatus(status),
    detail: first ? [first.title, first.detail].filter(Boolean).join(': ') : undefined,
  });
}
