/** Country calling codes (ITU-T E.164) by ISO 3166-1 alpha-2: where we sell, and a few more. */
const CALLING_CODES: Readonly<Record<string, string>> = {
  US: '1',
  CA: '1',
  GB: '44',
  DE: '49',
  FR: '33',
  BR: '55',
  AU: '61',
  ES: '34',
  IT: '39',
  NL: '31',
  BE: '32',
  AT: '43',
  CH: '41',
  IE: '353',
  PT: '351',
  SE: '46',
  PL: '48',
  MX: '52',
  IN: '91',
  JP: '81',
  SG: '65',
  NZ: '64',
  ZA: '27',
};

export function callingCodeOf(country: string): string | undefined {
  return CALLING_CODES[country.toUpperCase()];
}

/**
 * The calling code Meta wants (`cc`) for a number of `country`; null when the country is not
 * known here or the E.164 number does not start with its code.
 */
export function callingCodeOfNumber(country: string, e164: string): string | null {
  const code = callingCodeOf(country);
  return code && e164.startsWith(`+${code}`) ? code : null;
}

/**
 * The country an E.164 number (`+<digits>`) dials, by the longest calling code of the table that
 * starts it; undefined when none does. The North American Numbering Plan shares `+1` between the
 * US, Canada and the Caribbean, which Meta's and the carrier's rate cards price alike, so `+1` is
 * read as `US`.
 */
export function countryOfE164(e164: string): string | undefined {
  const digits = e164.startsWith('+') ? e164.slice(1) : e164;
  let best: { country: string; code: string } | undefined;
  for (const [country, code] of Object.entries(CALLING_CODES)) {
    if (code === '1' && country !== 'US') continue;
    if (digits.startsWith(code) && code.length > (best?.code.length ?? 0)) best = { country, code };
  }
  return best?.country;
}
