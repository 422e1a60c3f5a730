import { callingCodeOf, callingCodeOfNumber, countryOfE164 } from './calling-codes';

describe('calling codes', () => {
  it('knows the countries we sell in, in any case', () => {
    expect(callingCodeOf('gb')).toBe('44');
    expect(callingCodeOf('ZZ')).toBeUndefined();
  });

  it('gives Meta the code only when the number carries it', () => {
    expect(callingCodeOfNumber('DE', '+4930123456')).toBe('49');
    expect(callingCodeOfNumber('DE', '+3312345678')).toBeNull();
    expect(callingCodeOfNumber('ZZ', '+4930123456')).toBeNull();
  });

  it('reads the country an E.164 number dials, the longest code first', () => {
    expect(countryOfE164('+447700900123')).toBe('GB');
    expect(countryOfE164('+353861234567')).toBe('IE');
    expect(countryOfE164('+351912345678')).toBe('PT');
    expect(countryOfE164('+5511987654321')).toBe('BR');
    // The North American plan shares +1: priced as the US.
    expect(countryOfE164('+14165550123')).toBe('US');
    expect(countryOfE164('+9715012345678')).toBeUndefined();
  });
});
