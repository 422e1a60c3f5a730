import type { PhoneNumberRow } from '@numbers/persistence';
import { presentConnected, presentCountry, presentListItem, presentPhoneNumber, presentSandbox } from './phone-number.presenter';

const row: PhoneNumberRow = {
  id: '6745a1b2c3d4e5f6a7b8c9d1',
  accountId: '6745a1b2c3d4e5f6a7b8c9d0',
  phoneNumber: '+14155550123',
  country: 'US',
  status: 'regulatory_declined',
  registrantName: 'Acme GmbH',
  telnyxOrderId: null,
  monthlyCents: 900,
  profileId: '6745a1b2c3d4e5f6a7b8c9d2',
  profileName: 'Main',
  provisionedAt: null,
  metaPreverifiedId: null,
  metaVerificationStatus: null,
  onfidoVerificationUrl: null,
  endUserFirstName: 'Ada',
  endUserLastName: 'Lovelace',
  regulatoryDeclineReason: 'ID document expired',
  regulatoryDeclinedAt: new Date('2026-11-20T10:00:00Z'),
  callingEnabled: false,
  releasedAt: null,
  createdAt: new Date('2026-11-01T09:30:00.123Z'),
};

describe('phone number presenters', () => {
  it('lists a number with _id and every field the SDK types, nulls where unset', () => {
    expect(presentListItem(row)).toEqual({
      _id: row.id,
      phoneNumber: '+14155550123',
      country: 'US',
      status: 'regulatory_declined',
      registrantName: 'Acme GmbH',
      telnyxOrderId: null,
      monthlyCents: 900,
      hostedByZernio: true,
      sipTrunkId: null,
      profileId: { _id: row.profileId, name: 'Main' },
      provisionedAt: null,
      metaPreverifiedId: null,
      metaVerificationStatus: null,
      onfidoVerificationUrl: null,
      endUserFirstName: 'Ada',
      endUserLastName: 'Lovelace',
      regulatoryDeclineReason: 'ID document expired',
      callingEnabled: false,
      createdAt: '2026-11-01T09:30:00.123Z',
    });
  });

  it('shows a single number with id instead of _id', () => {
    const single = presentPhoneNumber({ ...row, provisionedAt: new Date('2026-11-02T00:00:00Z') });
    expect(single).not.toHaveProperty('_id');
    expect(single).toMatchObject({ id: row.id, provisionedAt: '2026-11-02T00:00:00.000Z', status: 'regulatory_declined' });
    // Internal columns never leave.
    expect(Object.keys(single)).not.toEqual(expect.arrayContaining(['accountId', 'regulatoryDeclinedAt', 'releasedAt']));
  });

  it('shows a connected number by its social-account id', () => {
    expect(
      presentConnected({
        id: 'internal',
        socialAccountId: '6745a1b2c3d4e5f6a7b8c9ff',
        phoneNumber: '+447700900123',
        displayName: 'Support',
        profileId: row.profileId,
        callingEnabled: true,
        connectedAt: new Date('2026-10-01T00:00:00Z'),
      }),
    ).toEqual({
      accountId: '6745a1b2c3d4e5f6a7b8c9ff',
      phoneNumber: '+447700900123',
      displayName: 'Support',
      profileId: row.profileId,
      connectedAt: '2026-10-01T00:00:00.000Z',
      callingEnabled: true,
    });
  });

  it('shows the sandbox and countries as configured and stored', () => {
    expect(presentSandbox({ phoneNumber: '+15550000000', accountId: 'sbx', template: { name: 'hello_world', language: 'en_US' } })).toEqual({
      phoneNumber: '+15550000000',
      accountId: 'sbx',
      template: { name: 'hello_world', language: 'en_US' },
      isSandbox: true,
    });
    expect(presentCountry({ code: 'DE', tier: 3, monthlyCents: 900, needsKyc: true, outboundCallingAvailable: true, name: 'x' } as never)).toEqual({
      code: 'DE',
      tier: 3,
      monthlyCents: 900,
      needsKyc: true,
      outboundCallingAvailable: true,
    });
  });
});
