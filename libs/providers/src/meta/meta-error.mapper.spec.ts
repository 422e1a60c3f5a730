import { fromGraphNetworkFailure, fromGraphResponse } from './meta-error.mapper';

describe('Graph error mapping', () => {
  it('keeps the Graph code and subcode and treats 4xx as permanent', () => {
    const error = fromGraphResponse(400, { error: { message: 'Unsupported post request', type: 'GraphMethodException', code: 100, error_subcode: 33 } }, 'op');
    expect(error).toMatchObject({ provider: 'meta', status: 400, code: '100.33', retryable: false });
  });

  it('treats throttling and transient Graph codes as retryable even on a 400', () => {
    expect(fromGraphResponse(400, { error: { code: 80007, message: 'Rate limit hit' } }, 'op').retryable).toBe(true);
    expect(fromGraphResponse(400, { error: { code: 190, message: 'x', is_transient: true } }, 'op').retryable).toBe(true);
    expect(fromGraphResponse(500, null, 'op')).toMatchObject({ code: 'http_500', retryable: true });
  });

  it('maps timeouts and network failures as retryable', () => {
    const timeout = Object.assign(new Error('timed out'), { name: 'TimeoutError' });
    expect(fromGraphNetworkFailure(timeout, 'op')).toMatchObject({ status: null, code: 'timeout', retryable: true });
    expect(fromGraphNetworkFailure(new TypeError('fetch failed'), 'op')).toMatchObject({ code: 'network_error' });
  });
});
