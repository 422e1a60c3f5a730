import { decodeCallCursor, encodeCallCursor } from './call-cursor';
import { callClientState, callDeepLink, callIdFromClientState, callingStep, FORWARD_TO_PATTERN, normalizeWaId, requestedCallingStatus, whatsappSipUri, whatsappSipUsername } from './calling-settings';

describe('calling settings', () => {
  it('converges the number to what the customer asked', () => {
    expect(callingStep(true, 'disabled')).toBe('enable');
    expect(callingStep(true, 'failed')).toBe('enable');
    expect(callingStep(true, 'enabled')).toBe('none');
    expect(callingStep(false, 'enabled')).toBe('disable');
    expect(callingStep(false, 'enabling')).toBe('disable');
    expect(callingStep(false, 'disabled')).toBe('none');
    expect(requestedCallingStatus(true, 'enabled')).toBe('enabled');
    expect(requestedCallingStatus(true, 'disabling')).toBe('enabling');
    expect(requestedCallingStatus(false, 'disabled')).toBe('disabled');
    expect(requestedCallingStatus(false, 'enabled')).toBe('disabling');
  });

  it("dials Meta's SIP domain over TLS with the consumer's E.164 id", () => {
    expect(whatsappSipUri('447700900123')).toBe('sip:+447700900123@wa.meta.vc;transport=tls');
    expect(whatsappSipUri('+14155550123')).toBe('sip:+14155550123@wa.meta.vc;transport=tls');
    expect(() => whatsappSipUri('0800')).toThrow();
    expect(normalizeWaId(' 14155550123 ')).toBe('+14155550123');
    expect(normalizeWaId('+0123456789')).toBeNull();
    expect(whatsappSipUsername('+14155550100')).toBe('14155550100');
    expect(callDeepLink('+14155550100')).toBe('https://wa.me/call/14155550100');
  });

  it('takes tel:, sip: and wss: forward destinations only', () => {
    for (const ok of ['tel:+14155550123', 'sip:agent@pbx.example.com', 'sips:agent@pbx.example.com:5061', 'wss://agent.example.com/ws']) {
      expect(FORWARD_TO_PATTERN.test(ok)).toBe(true);
    }
    for (const bad of ['+14155550123', 'tel:4155550123', 'http://x', 'sip:', 'wss://']) expect(FORWARD_TO_PATTERN.test(bad)).toBe(false);
  });
});

describe('client_state', () => {
  it('carries our call id through the carrier, and reads nothing else as one', () => {
    expect(callIdFromClientState(callClientState('6745a1b2c3d4e5f6a7b8c9d1'))).toBe('6745a1b2c3d4e5f6a7b8c9d1');
    for (const other of [undefined, '', 'bm90IG91cnM=', Buffer.from('call:nope').toString('base64')]) expect(callIdFromClientState(other)).toBeNull();
  });
});

describe('the call log cursor', () => {
  it('round-trips (created_at, id) and reads a bare ISO instant', () => {
    const at = new Date('2026-03-10T12:00:00.123Z');
    expect(decodeCallCursor(encodeCallCursor(at, '6745a1b2c3d4e5f6a7b8c9d1'))).toEqual({ createdAt: at, id: '6745a1b2c3d4e5f6a7b8c9d1' });
    expect(decodeCallCursor('2026-03-10T12:00:00Z')).toEqual({ createdAt: new Date('2026-03-10T12:00:00Z'), id: null });
    for (const bad of ['yesterday', '2026-03-10T12:00:00.123Z_nope', '2026-13-45T00:00:00Z', '']) expect(decodeCallCursor(bad)).toBeNull();
  });
});
