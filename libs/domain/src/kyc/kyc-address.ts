import { KYC_REGIONS, type KycRegion } from './kyc-regions';

/** An address as the KYC endpoints take it (Telnyx's address fields, snake_case as in the SDK). */
export interface KycAddressInput {
  country_code?: string;
  business_name?: string;
  first_name?: string;
  last_name?: string;
  street_address?: string;
  extended_address?: string;
  locality?: string;
  administrative_area?: string;
  postal_code?: string;
}

/** A value the caller may have meant, as `details.addressSuggestions[]` shows it. */
export interface AddressSuggestion {
  field: string;
  label: string;
  value: string;
}

/** One thing wrong with a KYC input: the request field at fault (`param`) and why. */
export interface KycIssue {
  param: string;
  message: string;
  suggestions?: AddressSuggestion[];
}

export interface AddressCheckOptions {
  /** The country the address must be in (the requirement's `localTo`), if any. */
  localTo: string | null;
  /** Prefix of every param (`address.` in a submission, nothing on validate-address). */
  paramPrefix?: string;
  /** Name of the country field (`country_code` in a submission, `country` on validate-address). */
  countryField?: string;
}

export interface AddressCheck {
  issues: KycIssue[];
  /** Whether the region pre-check ran (it needs `administrative_area` and a country we know the regions of). */
  regionChecked: boolean;
}

/** Postal code formats of the countries we sell in; others only need one. */
const POSTAL_CODES: Readonly<Record<string, { pattern: RegExp; example: string }>> = {
  DE: { pattern: /^\d{5}$/, example: '10117' },
  FR: { pattern: /^\d{5}$/, example: '75004' },
  BR: { pattern: /^\d{5}-?\d{3}$/, example: '01310-200' },
  AU: { pattern: /^\d{4}$/, example: '2000' },
  US: { pattern: /^\d{5}(-\d{4})?$/, example: '94103' },
  CA: { pattern: /^[A-Za-z]\d[A-Za-z] ?\d[A-Za-z]\d$/, example: 'M5V 2T6' },
  GB: { pattern: /^[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}$/, example: 'SW1A 1AA' },
};

const PO_BOX = /\b(p\.?\s*o\.?\s*box|post\s*office\s*box|gpo\s*box|locked\s*bag)\b/i;
const MAX = { street: 200, locality: 100, area: 100, postal: 16 } as const;

/** Lower case, no accents, letters and digits only: `Île-de-France` and `ile de france` match. */
export function foldForMatch(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** The region an `administrative_area` names (by code or name), or undefined. */
export function findRegion(country: string, area: string): KycRegion | undefined {
  const wanted = foldForMatch(area);
  return KYC_REGIONS[country]?.find((region) => foldForMatch(region.code) === wanted || foldForMatch(region.name) === wanted);
}

/** The region a postal code belongs to, where the country's codes map to regions. */
export function regionOfPostalCode(country: string, postalCode: string): KycRegion | undefined {
  const number = Number(postalCode.replace(/\D/g, ''));
  if (!Number.isFinite(number)) return undefined;
  return KYC_REGIONS[country]?.find((region) => region.postalRanges?.some(([from, to]) => number >= from && number <= to));
}

function suggestionsFor(country: string, area: string, field: string): AddressSuggestion[] {
  const folded = foldForMatch(area).slice(0, 2);
  const regions = KYC_REGIONS[country] ?? [];
  const close = folded ? regions.filter((r) => foldForMatch(r.name).startsWith(folded) || foldForMatch(r.code).startsWith(folded)) : [];
  return (close.length > 0 ? close : regions).map((region) => ({ field, label: region.name, value: region.code }));
}

/**
 * The address rules of a KYC submission and of `POST .../kyc/validate-address`: the fields a
 * carrier needs (street with a building number, locality, postal code in the country's format),
 * the country the requirement is local to, no PO box in Australia, and, when
 * `administrative_area` is given for a country whose regions we know, that it names one of them
 * and (Australia, Brazil) that the postal code lies in it.
 */
export function checkKycAddress(address: KycAddressInput, options: AddressCheckOptions): AddressCheck {
  const prefix = options.paramPrefix ?? '';
  const countryField = options.countryField ?? 'country_code';
  const issues: KycIssue[] = [];
  const add = (field: string, message: string, suggestions?: AddressSuggestion[]) =>
    issues.push({ param: `${prefix}${field}`, message, ...(suggestions ? { suggestions } : {}) });

  const country = (address.country_code ?? '').toUpperCase();
  if (!/^[A-Z]{2}$/.test(country)) add(countryField, `${countryField} must be an ISO 3166-1 alpha-2 code such as DE`);
  else if (options.localTo && country !== options.localTo) add(countryField, `the address must be in ${options.localTo}`);

  const street = address.street_address?.trim() ?? '';
  if (street === '') add('street_address', 'street_address is required');
  else if (street.length > MAX.street) add('street_address', `street_address must be at most ${MAX.street} characters`);
  else if (!/\d/.test(street)) add('street_address', 'street_address needs a building number (extended_address does not replace it)');
  else if (country === 'AU' && PO_BOX.test(street)) add('street_address', 'a PO box is not accepted: give a street address');

  const locality = address.locality?.trim() ?? '';
  if (locality === '') add('locality', 'locality is required');
  else if (locality.length > MAX.locality) add('locality', `locality must be at most ${MAX.locality} characters`);

  const postal = address.postal_code?.trim() ?? '';
  const format = POSTAL_CODES[country];
  if (postal === '') add('postal_code', 'postal_code is required');
  else if (postal.length > MAX.postal) add('postal_code', `postal_code must be at most ${MAX.postal} characters`);
  else if (format && !format.pattern.test(postal)) add('postal_code', `postal_code is not a ${country} postal code (e.g. ${format.example})`);

  const area = address.administrative_area?.trim() ?? '';
  const regionChecked = area !== '' && KYC_REGIONS[country] !== undefined;
  if (area.length > MAX.area) add('administrative_area', `administrative_area must be at most ${MAX.area} characters`);
  else if (regionChecked) {
    const region = findRegion(country, area);
    if (!region) {
      add('administrative_area', `administrative_area is not a region of ${country}`, suggestionsFor(country, area, 'administrative_area'));
    } else if (format && format.pattern.test(postal)) {
      const ofPostal = regionOfPostalCode(country, postal);
      if (ofPostal && ofPostal.code !== region.code) {
        add('administrative_area', `postal_code ${postal} is in ${ofPostal.name}, not ${region.name}`, [
          { field: 'administrative_area', label: ofPostal.name, value: ofPostal.code },
        ]);
      }
    }
  }
  return { issues, regionChecked };
}

/** The address on one line, as a carrier's textual requirement value and a reviewer read it. */
export function formatKycAddress(address: KycAddressInput): string {
  const who = address.business_name?.trim() || [address.first_name, address.last_name].filter((part) => part && part.trim()).join(' ');
  const cityLine = [address.postal_code, address.locality].filter(Boolean).join(' ');
  return [who, address.street_address, address.extended_address, cityLine, address.administrative_area, address.country_code?.toUpperCase()]
    .map((part) => part?.trim())
    .filter((part): part is string => Boolean(part))
    .join(', ');
}
