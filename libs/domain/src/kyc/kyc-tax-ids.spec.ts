import { parseBrazilianTaxId } from './kyc-tax-ids';

describe('parseBrazilianTaxId', () => {
  it('accepts a CPF or a CNPJ with valid check digits, punctuated or not', () => {
    expect(parseBrazilianTaxId('123.456.789-09')).toEqual({ kind: 'cpf', digits: '12345678909' });
    expect(parseBrazilianTaxId('12345678909')).toEqual({ kind: 'cpf', digits: '12345678909' });
    expect(parseBrazilianTaxId('11.222.333/0001-81')).toEqual({ kind: 'cnpj', digits: '11222333000181' });
  });

  it('refuses wrong check digits, repeated digits, other lengths and letters', () => {
    for (const value of ['123.456.789-00', '111.111.111-11', '11.222.333/0001-80', '1234567890', 'abc.456.789-09', '']) {
      expect({ value, parsed: parseBrazilianTaxId(value) }).toEqual({ value, parsed: null });
    }
  });
});
