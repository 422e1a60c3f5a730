import type { AvailableNumber } from '@numbers/providers';
import { addressConstraintOf, areaOptionsOf } from './area-options';

const offer = (phoneNumber: string, locality: string | null, region: string | null = null): AvailableNumber => ({
  phoneNumber,
  country: 'XX',
  locality,
  region,
  features: ['sms', 'voice'],
  monthlyCost: '1.00',
  upfrontCost: '1.00',
  currency: 'USD',
});

describe('areaOptionsOf', () => {
  it('reads NANP area codes from the number and names them "City, ST", largest stock first', () => {
    const options = areaOptionsOf(
      [
        offer('+14155550101', 'San Francisco', 'CA'),
        offer('+12125550101', 'New York', 'NY'),
        offer('+14155550102', 'San Francisco', 'CA'),
        offer('+18885550101', 'Toll free'),
      ],
      'US',
    );
    expect(options).toEqual([
      { ndc: '415', name: 'San Francisco, CA', count: 2 },
      { ndc: '212', name: 'New York, NY', count: 1 },
      { ndc: '888', name: 'Toll free', count: 1 },
    ]);
  });

  it('elsewhere groups by city and takes the common national prefix as the area code', () => {
    const options = areaOptionsOf(
      [
        offer('+493023456789', 'Berlin'),
        offer('+493087654321', 'Berlin'),
        offer('+498923456789', 'München'),
        offer('+498934567890', 'München'),
        offer('+498945678901', 'München'),
        offer('+492212345678', 'Köln'),
      ],
      'DE',
    );
    expect(options).toEqual([
      { ndc: '89', name: 'München', count: 3 },
      { ndc: '30', name: 'Berlin', count: 2 },
      // One number alone: its prefix stops short of the subscriber digits.
      { ndc: '2212', name: 'Köln', count: 1 },
    ]);
  });

  it('is empty for an empty page', () => {
    expect(areaOptionsOf([], 'GB')).toEqual([]);
  });
});

describe('addressConstraintOf', () => {
  const address = (numberType: string) => ({ numberType, requirementId: 'r1', label: 'Address', kind: 'address', localTo: 'DE' });
  it('is geo for a local number whose country asks for an address, country for other types, none without', () => {
    expect(addressConstraintOf([address('local'), { numberType: 'local', kind: 'file' }], 'local')).toBe('geo');
    expect(addressConstraintOf([address('mobile')], 'mobile')).toBe('country');
    expect(addressConstraintOf([address('mobile')], 'local')).toBe('none');
    expect(addressConstraintOf([], 'local')).toBe('none');
    expect(addressConstraintOf(null, 'local')).toBe('none');
  });
});
