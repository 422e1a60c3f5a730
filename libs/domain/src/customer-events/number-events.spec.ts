import type { NumberStatus } from '@numbers/contracts';
import { TRANSITIONS } from '../lifecycle/transition-table';
import { numberEventOf, numberEventTypeOf, type NumberEventSubject } from './number-events';

const subject = (status: NumberStatus, extra: Partial<NumberEventSubject> = {}): NumberEventSubject => ({
  id: '65f000000000000000000001',
  accountId: '65f000000000000000000002',
  profileId: '65f000000000000000000003',
  phoneNumber: '+33612345678',
  country: 'FR',
  status,
  regulatoryDeclineReason: null,
  ...extra,
});

describe('numberEventTypeOf', () => {
  it.each([
    ['verifying', 'active', 'whatsapp.number.activated'],
    ['suspended', 'active', 'whatsapp.number.reactivated'],
    ['active', 'suspended', 'whatsapp.number.suspended'],
    ['provisioning', 'pending_regulatory', 'whatsapp.number.kyc_submitted'],
    ['regulatory_declined', 'pending_regulatory', 'whatsapp.number.kyc_submitted'],
    ['pending_regulatory', 'regulatory_declined', 'whatsapp.number.declined'],
    ['releasing', 'released', 'whatsapp.number.released'],
    ['pending_payment', 'released', 'whatsapp.number.released'],
  ] as const)('%s -> %s sends %s', (from, to, event) => {
    expect(numberEventTypeOf(from, to)).toBe(event);
  });

  it.each([
    ['pending_payment', 'provisioning'],
    ['provisioning', 'verifying'],
    ['active', 'releasing'],
    ['pending_payment', 'releasing'],
  ] as const)('%s -> %s sends nothing (no customer-visible milestone)', (from, to) => {
    expect(numberEventTypeOf(from, to)).toBeNull();
  });

  it('every state a customer waits for is announced on entry, by every transition into it', () => {
    const announced: NumberStatus[] = ['pending_regulatory', 'regulatory_declined', 'suspended', 'released'];
    for (const moves of Object.values(TRANSITIONS)) {
      for (const [from, to] of Object.entries(moves)) {
        if (announced.includes(to)) expect(numberEventTypeOf(from as NumberStatus, to)).not.toBeNull();
      }
    }
  });
});

describe('numberEventOf', () => {
  const at = new Date('2026-12-07T10:00:00.000Z');

  it('builds the SDK body: the number as it is now, its account, the time of the change', () => {
    const payload = numberEventOf('verifying', subject('active'), at);
    expect(payload).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      event: 'whatsapp.number.activated',
      phoneNumber: { id: '65f000000000000000000001', phoneNumber: '+33612345678', status: 'active', country: 'FR', profileId: '65f000000000000000000003' },
      account: { id: '65f000000000000000000002', accountId: '65f000000000000000000002', profileId: '65f000000000000000000003' },
      timestamp: '2026-12-07T10:00:00.000Z',
    });
  });

  it('carries the decline reason on a decline only', () => {
    expect(numberEventOf('pending_regulatory', subject('regulatory_declined', { regulatoryDeclineReason: 'blurry ID' }), at)?.phoneNumber.regulatoryDeclineReason).toBe('blurry ID');
    expect(numberEventOf('regulatory_declined', subject('pending_regulatory', { regulatoryDeclineReason: 'blurry ID' }), at)?.phoneNumber).not.toHaveProperty('regulatoryDeclineReason');
  });

  it('gives each event an id of its own', () => {
    const a = numberEventOf('active', subject('suspended'), at);
    const b = numberEventOf('active', subject('suspended'), at);
    expect(a?.id).not.toBe(b?.id);
  });

  it('is null for a change that sends nothing', () => {
    expect(numberEventOf('pending_payment', subject('provisioning'), at)).toBeNull();
  });
});
