import { callingCodeOf, callingCodeOfNumber } from './calling-codes';

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
});
