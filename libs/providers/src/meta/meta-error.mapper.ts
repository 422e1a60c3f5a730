import { isRetryableStatus, ProviderError } from '../provider-error';

interface GraphErrorBody {
  error?: {
    message?: string;
    type?: string;
    code?: number;
    error_subcode?: number;
    is_transient?: boolean;
    error_data?: { details?: string };
  };
}

/** Graph error codes that mean "try again later" whatever the HTTP status (throttling, transient). */
const TRANSIENT_GRAPH_CODES = new Set([1, 2, 4, 17, 32, 613, 80007, 130429, 131048, 131056]);

/** A non-2xx Graph answer as a `ProviderError`. */
export function fromGraphResponse(status: number, body: unknown, operation: string): ProviderError {
  const error = (body as GraphErrorBody | null)?.error;
  const code = error?.code;
  return new ProviderError({
    provider: 'meta',
    operation,
    status,
    code: code === undefined ? `http_${status}` : error?.error_subcode ? `${code}.${error.error_subcode}` : String(code),
    retryable: isRetryableStatus(status) || error?.is_transient === true || (code !== undefined && TRANSIENT_GRAPH_CODES.has(code)),
    detail: [error?.message, error?.error_data?.details].filter(Boolean).join(': ') || undefined,
  });
}

/** No answer from Graph (connection refused, reset, timeout). */
export function fromGraphNetworkFailure(error: unknown, operation: string): ProviderError {
  const timeout = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
  return new ProviderError({ provider: 'meta', operation, status: null, code: timeout ? 'timeout' : 'network_error', retryable: true });
}
