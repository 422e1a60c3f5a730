import type { CallFacts } from '../calling/call-state';
import { callEventOf, callReceivedEventOf, permissionRequestEventOf, type CallSubject } from './call-events';

const number = { id: '65f000000000000000000001', profileId: '65f000000000000000000003', phoneNumber: '+14155550100', metaPhoneNumberId: 'meta-1' };
const call: CallSubject = { id: '65f000000000000000000009', direction: 'outbound', to: '+447700900123', metaCallId: null, createdAt: new Date('2026-12-07T10:00:00Z'), number };
const at = new Date('2026-12-07T10:05:00Z');
const facts = (over: Partial<CallFacts>): CallFacts => ({ status: 'answered', answeredAt: null, endedAt: null, hangupCause: null, durationSeconds: null, ...over });

describe('callEventOf', () => {
  it('announces a call that ended, once, with its duration and why it ended', () => {
    const ended = facts({ status: 'ended', answeredAt: new Date('2026-12-07T10:00:10Z'), endedAt: new Date('2026-12-07T10:01:10Z'), hangupCause: 'normal_clearing', durationSeconds: 60 });
    expect(callEventOf('answered', ended, call, at)).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      event: 'call.ended',
      call: {
        id: call.id,
        metaCallId: null,
        accountId: number.id,
        phoneNumberId: 'meta-1',
        direction: 'outbound',
        from: '+14155550100',
        to: '+447700900123',
        startedAt: '2026-12-07T10:00:00.000Z',
        endedAt: '2026-12-07T10:01:10.000Z',
        durationSeconds: 60,
        endReason: 'hangup',
        hangupCause: 'normal_clearing',
        sipHangupCause: null,
      },
      account: { id: number.id, accountId: number.id, profileId: number.profileId, platform: 'whatsapp', username: '+14155550100' },
      timestamp: at.toISOString(),
    });
    expect(callEventOf('ended', ended, call, at)).toBeNull();
  });

  it('announces a call that failed with the carrier cause, and nothing short of the end', () => {
    const failed = facts({ status: 'failed', endedAt: at, hangupCause: 'user_busy' });
    expect(callEventOf('ringing', failed, call, at)).toMatchObject({ event: 'call.failed', call: { failedAt: at.toISOString(), error: { code: 0, message: 'user_busy' } } });
    expect(callEventOf('dialing', facts({ status: 'ringing' }), call, at)).toBeNull();
  });
});

describe('inbound call events', () => {
  const inbound: CallSubject = { ...call, direction: 'inbound', metaCallId: 'wacid.abc' };

  it('call.received: from the consumer to the business number, with the destination it is bridged to', () => {
    expect(callReceivedEventOf(inbound, 'tel:+14155550199', at)).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      event: 'call.received',
      call: {
        id: call.id,
        metaCallId: 'wacid.abc',
        accountId: number.id,
        phoneNumberId: 'meta-1',
        direction: 'inbound',
        from: '+447700900123',
        to: '+14155550100',
        forwardTo: 'tel:+14155550199',
        startedAt: '2026-12-07T10:00:00.000Z',
      },
      account: { id: number.id, accountId: number.id, profileId: number.profileId, platform: 'whatsapp', username: '+14155550100' },
      timestamp: at.toISOString(),
    });
  });

  it('call.ended of an inbound call names the consumer as the caller', () => {
    const ended = facts({ status: 'ended', answeredAt: call.createdAt, endedAt: at, hangupCause: 'normal_clearing', durationSeconds: 300 });
    expect(callEventOf('answered', ended, inbound, at)).toMatchObject({ event: 'call.ended', call: { direction: 'inbound', from: '+447700900123', to: '+14155550100' } });
  });
});

describe('permissionRequestEventOf', () => {
  const reply = { accepted: true, permanent: false, expiresAt: null, at: new Date('2026-12-07T09:00:00Z'), consumer: '+447700900123', responseSource: 'user_action' };

  it('announces the answer that decided the permission, with its expiry when temporary', () => {
    const expiresAt = new Date('2026-12-14T09:00:00Z');
    expect(permissionRequestEventOf({ decidedAt: null }, { decidedAt: reply.at, expiresAt }, reply, number, at)).toMatchObject({
      event: 'call.permission_request',
      permission: { from: '+447700900123', response: 'accept', isPermanent: false, expirationTimestamp: expiresAt.toISOString(), responseSource: 'user_action' },
      account: { id: number.id },
    });
    expect(permissionRequestEventOf({ decidedAt: null }, { decidedAt: reply.at, expiresAt: null }, { ...reply, accepted: false }, number, at)?.permission).toEqual({
      from: '+447700900123',
      response: 'reject',
      isPermanent: false,
      responseSource: 'user_action',
    });
  });

  it('sends nothing for the same answer again, or an older one that changed nothing', () => {
    expect(permissionRequestEventOf({ decidedAt: reply.at }, { decidedAt: reply.at, expiresAt: null }, reply, number, at)).toBeNull();
    const newer = new Date('2026-12-07T09:30:00Z');
    expect(permissionRequestEventOf({ decidedAt: newer }, { decidedAt: newer, expiresAt: null }, reply, number, at)).toBeNull();
  });
});
