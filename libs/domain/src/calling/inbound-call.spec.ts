import { callIdFromClientState } from './calling-settings';
import { callCommandId, callIdFromForwardLegState, forwardLegClientState, forwardTarget, inboundCallParties, inboundCallStep, metaCallReportOf } from './inbound-call';

const callId = '6745a1b2c3d4e5f6a7b8c9d1';

describe('inboundCallParties', () => {
  it('reads the consumer and the business number of an incoming leg, bare or as SIP URIs', () => {
    expect(inboundCallParties({ direction: 'incoming', from: '+447700900555', to: '+14155550142' })).toEqual({ consumer: '+447700900555', business: '+14155550142' });
    expect(inboundCallParties({ direction: 'incoming', from: 'sip:+447700900555@wa.meta.vc;transport=tls', to: 'sip:14155550142@sip.telnyx.com' })).toEqual({
      consumer: '+447700900555',
      business: '+14155550142',
    });
  });

  it('is null for a leg we dialed, and for numbers that are not E.164', () => {
    expect(inboundCallParties({ direction: 'outgoing', from: '+14155550142', to: '+447700900555' })).toBeNull();
    expect(inboundCallParties({ direction: 'incoming', from: 'anonymous', to: '+14155550142' })).toBeNull();
    expect(inboundCallParties({ direction: 'incoming', from: '+447700900555' })).toBeNull();
  });
});

describe('forwardTarget', () => {
  it('transfers to a phone number or a SIP URI, streams to a voice agent', () => {
    expect(forwardTarget('tel:+14155550199')).toEqual({ kind: 'transfer', to: '+14155550199' });
    expect(forwardTarget('sip:agent@pbx.example.com')).toEqual({ kind: 'transfer', to: 'sip:agent@pbx.example.com' });
    expect(forwardTarget('wss://agent.example.com/voice')).toEqual({ kind: 'stream', url: 'wss://agent.example.com/voice' });
  });

  it('is null without a destination, or for one the carrier cannot reach', () => {
    expect(forwardTarget(null)).toBeNull();
    expect(forwardTarget('mailto:x@example.com')).toBeNull();
  });
});

describe('inboundCallStep', () => {
  const number = { status: 'active', callingStatus: 'enabled', forwardTo: 'tel:+14155550199' };

  it('answers a ringing call of a number that takes calls, towards its forwardTo; a run after the answer still bridges', () => {
    expect(inboundCallStep({ status: 'ringing' }, number)).toEqual({ step: 'answer', target: { kind: 'transfer', to: '+14155550199' } });
    expect(inboundCallStep({ status: 'answered' }, number)).toEqual({ step: 'answer', target: { kind: 'transfer', to: '+14155550199' } });
  });

  it('does nothing for a call that ended (the consumer hung up first, or a late run)', () => {
    for (const status of ['ended', 'failed']) expect(inboundCallStep({ status }, number)).toMatchObject({ step: 'none' });
  });

  it('hangs up an answered call the number can no longer take', () => {
    expect(inboundCallStep({ status: 'answered' }, { ...number, callingStatus: 'disabling' })).toEqual({ step: 'hangup', reason: 'calling is disabling' });
  });

  it('rejects a call the number cannot take', () => {
    expect(inboundCallStep({ status: 'ringing' }, { ...number, status: 'suspended' })).toEqual({ step: 'reject', reason: 'number is suspended' });
    expect(inboundCallStep({ status: 'ringing' }, { ...number, callingStatus: 'disabled' })).toEqual({ step: 'reject', reason: 'calling is disabled' });
    expect(inboundCallStep({ status: 'ringing' }, { ...number, forwardTo: null })).toMatchObject({ step: 'reject' });
  });
});

describe('forward leg client state', () => {
  it('names the call, and is not taken for the consumer leg', () => {
    const state = forwardLegClientState(callId);
    expect(callIdFromForwardLegState(state)).toBe(callId);
    expect(callIdFromClientState(state)).toBeNull();
    expect(callIdFromForwardLegState(Buffer.from(`call:${callId}`).toString('base64'))).toBeNull();
    expect(callIdFromForwardLegState(undefined)).toBeNull();
  });

  it('command ids are one per step and call', () => {
    expect(callCommandId('answer', callId)).toBe(`answer-${callId}`);
    expect(callCommandId('transfer', callId)).not.toBe(callCommandId('answer', callId));
  });
});

describe('metaCallReportOf', () => {
  it("reads a consumer's call and a business call of Meta's calls webhook", () => {
    expect(metaCallReportOf({ id: 'wacid.1', from: '447700900555', to: '14155550142', event: 'connect', direction: 'USER_INITIATED', timestamp: '1796637600' })).toEqual({
      metaCallId: 'wacid.1',
      direction: 'inbound',
      consumer: '+447700900555',
      event: 'connect',
      startedAt: new Date(1796637600 * 1000),
    });
    expect(
      metaCallReportOf({ id: 'wacid.2', from: '14155550142', to: '447700900555', event: 'terminate', direction: 'BUSINESS_INITIATED', timestamp: '1796637700', start_time: '1796637600' }),
    ).toMatchObject({ direction: 'outbound', consumer: '+447700900555', startedAt: new Date(1796637600 * 1000) });
  });

  it('is null without an id, a direction, a consumer or a time', () => {
    const call = { id: 'wacid.1', from: '447700900555', direction: 'USER_INITIATED', timestamp: '1796637600' };
    for (const broken of [{ ...call, id: '' }, { ...call, direction: 'SIDEWAYS' }, { ...call, from: 'x' }, { ...call, timestamp: 'soon' }]) expect(metaCallReportOf(broken)).toBeNull();
  });
});
