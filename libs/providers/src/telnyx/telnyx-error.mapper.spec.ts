import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'telnyx';
import { fromTelnyxError } from './telnyx-error.mapper';

describe('fromTelnyxError', () => {
  it('maps status errors with the first Telnyx error code', () => {
    const body = { errors: [{ code: '10005', title: 'Resource not found', detail: 'gone' }] };
    const error = fromTelnyxError(APIError.generate(404, body, undefined, new Headers()), 'phoneNumbers.delete');
    expect(error).toMatchObject({ provider: 'telnyx', status: 404, code: '10005', retryable: false, detail: 'Resource not found: gone' });
    expect(fromTelnyxError(APIError.generate(502, undefined, 'bad gateway', new Headers()), 'op')).toMatchObject({
      status: 502,
      code: 'http_502',
      retryable: true,
    });
  });

  it('maps connection failures and timeouts as retryable', () => {
    expect(fromTelnyxError(new APIConnectionError({ message: 'refused' }), 'op')).toMatchObject({ status: null, code: 'network_error', retryable: true });
    expect(fromTelnyxError(new APIConnectionTimeoutError(), 'op')).toMatchObject({ code: 'timeout', retryable: true });
  });

  it('leaves errors that are not Telnyx’s untouched', () => {
    const bug = new RangeError('nope');
    expect(fromTelnyxError(bug, 'op')).toBe(bug);
  });
});
