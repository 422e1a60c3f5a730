import { callingCodeOf } from '@numbers/domain';
import type { AvailableNumber } from '@numbers/providers';

/** An area with stock, as `CheckWhatsAppNumberAvailabilityResponse.areaOptions` shows it. */
export interface AreaOption {
  /** National destination (area) code, e.g. `415`, `30`. */
  ndc: string;
  /** `City, ST` in the US and Canada, the city elsewhere. */
  name: string;
  /** Numbers seen in this area on the inventory page. */
  count: number;
}

export type AddressConstraint = 'geo' | 'country' | 'none';

/** The North American Numbering Plan: every area code has three digits. */
const NANP = '1';

/** Subscriber digits every number has after its area code, at least. */
const MIN_SUBSCRIBER_DIGITS = 6;

function commonPrefix(values: string[]): string {
  if (values.length === 0) return '';
  let prefix = values[0];
  for (const value of values) {
    let i = 0;
    while (i < prefix.length && i < value.length && prefix[i] === value[i]) i++;
    prefix = prefix.slice(0, i);
  }
  return prefix;
}

/**
 * The area code of numbers of one area: their longest common national prefix, short of the
 * subscriber digits (so one lone number does not make its whole self an area code).
 */
function ndcOf(nationals: string[]): string {
  const shortest = Math.min(...nationals.map((national) => national.length));
  const prefix = commonPrefix(nationals);
  return prefix.slice(0, Math.max(1, Math.min(prefix.length, shortest - MIN_SUBSCRIBER_DIGITS)));
}

/**
 * Groups an inventory page by area. The carrier's search results carry no area code, so it is
 * read from the number: the first three national digits in the NANP, else the common national
 * prefix of the numbers of one locality. Largest stock first, then by name.
 */
export function areaOptionsOf(numbers: AvailableNumber[], country: string): AreaOption[] {
  const digitsOf = (number: AvailableNumber) => number.phoneNumber.replace(/\D/g, '');
  const callingCode = callingCodeOf(country) ?? commonPrefix(numbers.map(digitsOf)).slice(0, 3);
  const nanp = callingCode === NANP;
  const groups = new Map<string, { nationals: string[]; names: Map<string, number> }>();
  for (const number of numbers) {
    const digits = digitsOf(number);
    if (!digits.startsWith(callingCode) || digits.length <= callingCode.length) continue;
    const national = digits.slice(callingCode.length);
    const city = number.locality ?? number.region ?? country;
    const name = nanp && number.region ? `${city}, ${number.region}` : city;
    const key = nanp ? national.slice(0, 3) : name;
    const group = groups.get(key) ?? { nationals: [], names: new Map<string, number>() };
    group.nationals.push(national);
    group.names.set(name, (group.names.get(name) ?? 0) + 1);
    groups.set(key, group);
  }
  const options = [...groups.entries()].map(([key, group]) => ({
    ndc: nanp ? key : ndcOf(group.nationals),
    // The name most numbers of the area give.
    name: [...group.names.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0],
    count: group.nationals.length,
  }));
  return options.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name) || a.ndc.localeCompare(b.ndc));
}

/**
 * Where the registered address must be, from the country's KYC requirements for the type: no
 * address asked for is `none`; an address for a geographic (`local`) number must be in the
 * number's area (`geo`); for other types anywhere in the country.
 */
export function addressConstraintOf(kycRequirements: unknown, numberType: string): AddressConstraint {
  if (!Array.isArray(kycRequirements)) return 'none';
  const asksAddress = kycRequirements.some((requirement: unknown) => {
    if (typeof requirement !== 'object' || requirement === null) return false;
    const { kind, numberType: forType } = requirement as { kind?: unknown; numberType?: unknown };
    return kind === 'address' && (forType === undefined || forType === numberType);
  });
  if (!asksAddress) return 'none';
  return numberType === 'local' ? 'geo' : 'country';
}
