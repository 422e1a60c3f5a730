import { checkKycAddress, formatKycAddress, regionOfPostalCode } from './kyc-address';

const berlin = { country_code: 'DE', street_address: 'Friedrichstrasse 68', locality: 'Berlin', postal_code: '10117' };

describe('checkKycAddress', () => {
  it('accepts a complete address in the country the requirement is local to', () => {
    expect(checkKycAddress(berlin, { localTo: 'DE', paramPrefix: 'address.' })).toEqual({ issues: [], regionChecked: false });
  });

  it('names each field at fault, with the prefix and the country field given', () => {
    const { issues } = checkKycAddress({ country_code: 'FR', street_address: 'Friedrichstrasse', postal_code: '1011' }, { localTo: 'DE', paramPrefix: 'address.' });
    expect(issues.map((i) => i.param)).toEqual(['address.country_code', 'address.street_address', 'address.locality', 'address.postal_code']);
    expect(issues[1].message).toContain('building number');
    const onValidate = checkKycAddress({ street_address: '1 Main St', locality: 'X', postal_code: '1' }, { localTo: null, countryField: 'country' });
    expect(onValidate.issues.map((i) => i.param)).toEqual(['country']);
  });

  it('checks postal codes in each country’s format', () => {
    const postal = (country_code: string, postal_code: string) =>
      checkKycAddress({ country_code, street_address: '1 Rua A', locality: 'X', postal_code }, { localTo: null }).issues.map((i) => i.param);
    expect(postal('BR', '01310-200')).toEqual([]);
    expect(postal('BR', '01310200')).toEqual([]);
    expect(postal('BR', '0131-200')).toEqual(['postal_code']);
    expect(postal('AU', '2000')).toEqual([]);
    expect(postal('AU', '20000')).toEqual(['postal_code']);
    expect(postal('FR', '75004')).toEqual([]);
    expect(postal('GB', 'SW1A 1AA')).toEqual([]);
  });

  it('refuses a PO box in Australia', () => {
    const { issues } = checkKycAddress({ country_code: 'AU', street_address: 'PO Box 123', locality: 'Sydney', postal_code: '2001' }, { localTo: 'AU' });
    expect(issues).toEqual([{ param: 'street_address', message: expect.stringContaining('PO box') }]);
  });

  it('checks administrative_area only when given: a known region, consistent with the postal code, with suggestions', () => {
    const sydney = { country_code: 'AU', street_address: '1 Martin Place', locality: 'Sydney', postal_code: '2000' };
    expect(checkKycAddress({ ...sydney, administrative_area: 'nsw' }, { localTo: 'AU' })).toEqual({ issues: [], regionChecked: true });
    expect(checkKycAddress({ ...sydney, administrative_area: 'New South Wales' }, { localTo: 'AU' }).issues).toEqual([]);
    const wrong = checkKycAddress({ ...sydney, administrative_area: 'VIC' }, { localTo: 'AU' });
    expect(wrong.issues).toEqual([
      { param: 'administrative_area', message: 'postal_code 2000 is in New South Wales, not Victoria', suggestions: [{ field: 'administrative_area', label: 'New South Wales', value: 'NSW' }] },
    ]);
    const unknown = checkKycAddress({ ...sydney, administrative_area: 'Nowhere' }, { localTo: 'AU' });
    expect(unknown.issues[0]).toMatchObject({ param: 'administrative_area', suggestions: [{ field: 'administrative_area', label: 'Northern Territory', value: 'NT' }] });
    expect(checkKycAddress({ ...berlin, administrative_area: 'Île-de-France' }, { localTo: 'DE' }).issues[0].param).toBe('administrative_area');
    expect(checkKycAddress({ ...berlin, administrative_area: 'Berlin' }, { localTo: 'DE' })).toEqual({ issues: [], regionChecked: true });
  });

  it('maps Brazilian CEPs and Australian postcodes to their states', () => {
    expect(regionOfPostalCode('BR', '01310-200')?.code).toBe('SP');
    expect(regionOfPostalCode('BR', '20040-002')?.code).toBe('RJ');
    expect(regionOfPostalCode('AU', '2600')?.code).toBe('ACT');
    expect(regionOfPostalCode('AU', '0800')?.code).toBe('NT');
    expect(regionOfPostalCode('DE', '10117')).toBeUndefined();
  });
});

describe('formatKycAddress', () => {
  it('writes the address on one line, registrant first', () => {
    expect(formatKycAddress({ ...berlin, business_name: 'Acme GmbH' })).toBe('Acme GmbH, Friedrichstrasse 68, 10117 Berlin, DE');
    expect(formatKycAddress({ ...berlin, first_name: 'Ada', last_name: 'Lovelace', extended_address: '3. OG' })).toBe(
      'Ada Lovelace, Friedrichstrasse 68, 3. OG, 10117 Berlin, DE',
    );
  });
});
