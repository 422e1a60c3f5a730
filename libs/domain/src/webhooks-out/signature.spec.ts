import { createHmac } from 'node:crypto';
import { deliveryHeaders, generateWebhookSecret, isReservedDeliveryHeader, signPayload } from './signature';

describe('signPayload', () => {
  it('is sha256= and the hex HMAC-SHA256 of "<timestamp>.<body>" under the secret', () => {
    const body = '{"id":"evt_1","event":"webhook.test"}';
    const expected = createHmac('sha256', 'whsec_s').update(`1700000000.${body}`).digest('hex');
    expect(signPayload('whsec_s', 1700000000, body)).toBe(`sha256=${expected}`);
    expect(expected).toHaveLength(64);
  });

  it('changes with the secret, the timestamp and any byte of the body', () => {
    const base = signPayload('a', 1, '{}');
    expect(signPayload('b', 1, '{}')).not.toBe(base);
    expect(signPayload('a', 2, '{}')).not.toBe(base);
    expect(signPayload('a', 1, '{ }')).not.toBe(base);
  });
});

describe('deliveryHeaders', () => {
  const now = new Date('2026-12-01T10:00:00.750Z');
  const base = { eventId: 'evt_1', secret: 'whsec_s', rawBody: '{"a":1}', now };

  it('signs the attempt at its Unix second, with the event id and JSON content type', () => {
    expect(deliveryHeaders(base)).toEqual({
      'content-type': 'application/json',
      'X-Zernio-Event-Id': 'evt_1',
      'X-Zernio-Timestamp': '1796119200',
      'X-Zernio-Signature': signPayload('whsec_s', 1796119200, '{"a":1}'),
    });
  });

  it('adds the custom headers, but none of them replaces ours or the framing, in any case', () => {
    const headers = deliveryHeaders({
      ...base,
      customHeaders: {
        Authorization: 'Bearer t',
        'X-Team': 'ops',
        'Content-Type': 'text/plain',
        'x-zernio-signature': 'sha256=forged',
        'X-ZERNIO-EVENT-ID': 'evt_forged',
        'X-Zernio-Anything': 'x',
        'Content-Length': '1',
        Host: 'internal',
      },
    });
    expect(headers).toEqual({ ...deliveryHeaders(base), Authorization: 'Bearer t', 'X-Team': 'ops' });
  });
});

describe('isReservedDeliveryHeader', () => {
  it.each(['content-type', 'Content-Length', 'HOST', 'Transfer-Encoding', 'connection', 'X-Zernio-Timestamp', 'x-zernio-future'])('reserves %s', (name) => {
    expect(isReservedDeliveryHeader(name)).toBe(true);
  });

  it.each(['Authorization', 'X-Api-Key', 'X-Zernio', 'content-types'])('leaves %s to the customer', (name) => {
    expect(isReservedDeliveryHeader(name)).toBe(false);
  });
});

describe('generateWebhookSecret', () => {
  it('is whsec_ and 32 random bytes in base64url, new each time', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64url')).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
  });
});
