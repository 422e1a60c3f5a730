import { decodeCallCursor, encodeCallCursor } from './call-cursor';
import { callClientState, callDeepLink, callIdFromClientState, callingStep, checkForwardTo, FORWARD_TO_PATTERN, forwardToHost, normalizeWaId, requestedCallingStatus, whatsappSipUri, whatsappSipUsername } from './calling-settings';

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

  it('reads the host a sip: or ws(s): destination connects to', () => {
    expect(forwardToHost('tel:+14155550123')).toBeNull();
    expect(forwardToHost('sip:agent@pbx.example.com')).toBe('pbx.example.com');
    expect(forwardToHost('sips:+1415;phone-context=x@PBX.example.com:5061;transport=tls?subject=x')).toBe('pbx.example.com');
    expect(forwardToHost('sip:10.1.2.3')).toBe('10.1.2.3');
    expect(forwardToHost('sip:agent@[::1]:5060')).toBe('::1');
    expect(forwardToHost('sip:agent@0x7f.1')).toBe('127.0.0.1');
    expect(forwardToHost('wss://192.168.1.5:8443/ws')).toBe('192.168.1.5');
    expect(forwardToHost('ws://2130706433/')).toBe('127.0.0.1');
    expect(forwardToHost('sip:agent@exa%mple')).toBeNull();
  });

  it('never forwards to a private, loopback or link-local address; loopback only where allowed', () => {
    const production = { allowLoopback: false };
    for (const ok of ['tel:+14155550123', 'sip:agent@pbx.example.com', 'sips:agent@8.8.8.8:5061', 'wss://agent.example.com/ws', 'sip:agent@[2606:4700::1111]']) {
      expect({ ok, problem: checkForwardTo(ok, production) }).toEqual({ ok, problem: null });
    }
    const refused: Array<[string, string]> = [
      ['sip:agent@10.0.0.5', 'private'],
      ['sips:agent@192.168.1.10:5061;transport=tls', 'private'],
      ['sip:172.16.3.4', 'private'],
      ['sip:agent@127.0.0.1', 'loopback'],
      ['sip:agent@0x7f.1', 'loopback'],
      ['sip:agent@[::1]', 'loopback'],
      ['sip:agent@[::ffff:10.0.0.1]', 'private'],
      ['sip:agent@169.254.10.1', 'link-local'],
      ['wss://169.254.169.254/latest', 'cloud metadata'],
      ['wss://[fe80::1]/ws', 'link-local'],
      ['ws://10.1.1.1:8080/', 'private'],
      ['sip:agent@localhost', 'loopback'],
    ];
    for (const [forwardTo, reason] of refused) {
      expect({ forwardTo, problem: checkForwardTo(forwardTo, production) }).toEqual({ forwardTo, problem: expect.stringContaining(`(${reason})`) });
    }
    expect(checkForwardTo('sip:agent@127.0.0.1:5060', { allowLoopback: true })).toBeNull();
    expect(checkForwardTo('sip:agent@localhost', { allowLoopback: true })).toBeNull();
    expect(checkForwardTo('sip:agent@10.0.0.5', { allowLoopback: true })).toMatch(/private/);
    expect(checkForwardTo('sip:agent@exa%mple', production)).toBe('forwardTo has no valid host');
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
