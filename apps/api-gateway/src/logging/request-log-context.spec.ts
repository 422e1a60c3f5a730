import { requestLogContext } from './request-log-context';

describe('requestLogContext', () => {
  it('names the number of a route about one number', () => {
    expect(requestLogContext('r1', '/v1/whatsapp/phone-numbers/:phoneNumberId', { phoneNumberId: 'n1' })).toEqual({ reqId: 'r1', numberId: 'n1' });
    expect(requestLogContext('r2', '/v1/phone-numbers/:id/whatsapp/calling', { id: 'n2' })).toEqual({ reqId: 'r2', numberId: 'n2' });
    expect(requestLogContext('r3', '/v1/whatsapp/phone-numbers/:id/calling', { id: 'n3' })).toEqual({ reqId: 'r3', numberId: 'n3' });
  });

  it('names no number where the id is of something else, or there is none', () => {
    expect(requestLogContext('r4', '/v1/phone-numbers/stock-watches/:id', { id: 'w1' })).toEqual({ reqId: 'r4' });
    expect(requestLogContext('r5', '/v1/whatsapp/calls/:id', { id: 'c1' })).toEqual({ reqId: 'r5' });
    expect(requestLogContext('r6', undefined, undefined)).toEqual({ reqId: 'r6' });
  });
});
