/** Brazilian tax numbers: the CPF of a person (11 digits) or the CNPJ of a company (14 digits). */
export type BrazilianTaxId = { kind: 'cpf' | 'cnpj'; digits: string };

function checkDigit(digits: number[], weights: number[]): number {
  const sum = digits.reduce((total, digit, i) => total + digit * weights[i], 0);
  const rest = sum % 11;
  return rest < 2 ? 0 : 11 - rest;
}

function validCpf(digits: number[]): boolean {
  const first = checkDigit(digits.slice(0, 9), [10, 9, 8, 7, 6, 5, 4, 3, 2]);
  const second = checkDigit(digits.slice(0, 10), [11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
  return digits[9] === first && digits[10] === second;
}

function validCnpj(digits: number[]): boolean {
  const first = checkDigit(digits.slice(0, 12), [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
  const second = checkDigit(digits.slice(0, 13), [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
  return digits[12] === first && digits[13] === second;
}

/**
 * A CPF (`123.456.789-09`) or CNPJ (`11.222.333/0001-81`), punctuation optional, with valid check
 * digits (Receita Federal's modulo-11 rule); null otherwise. Repeated digits (`111.111.111-11`)
 * pass the arithmetic but are not issued, so they are refused too.
 */
export function parseBrazilianTaxId(value: string): BrazilianTaxId | null {
  if (!/^[\d.\-/\s]+$/.test(value)) return null;
  const digits = value.replace(/\D/g, '');
  if (/^(\d)\1+$/.test(digits)) return null;
  const numbers = [...digits].map(Number);
  if (digits.length === 11) return validCpf(numbers) ? { kind: 'cpf', digits } : null;
  if (digits.length === 14) return validCnpj(numbers) ? { kind: 'cnpj', digits } : null;
  return null;
}
