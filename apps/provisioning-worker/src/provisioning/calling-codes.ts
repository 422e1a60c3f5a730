/** Country calling codes (ITU-T E.164) of the countries numbers are sold in, by ISO 3166-1 alpha-2. */
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
  IE: '353',
  MX: '52',
};

/**
 * The calling code Meta wants (`cc`) for a number of `country`; null when the country is not
 * known here or the E.164 number does not start with its code.
 */
export function callingCodeOf(country: string, e164: string): string | null {
  const code = CALLING_CODES[country.toUpperCase()];
  return code && e164.startsWith(`+${code}`) ? code : null;
}
