import { COUNTRY_PLANS, CountryInventory, type InventoryNumber } from './telnyx-inventory';

export interface InventorySearch {
  country: string;
  ndc?: string;
  /** Digits the number contains, starts or ends with (a leading `+` is ignored). */
  contains?: string;
  startsWith?: string;
  endsWith?: string;
  locality?: string;
  administrativeArea?: string;
  numberType?: string;
  features?: string[];
  limit: number;
}

/**
 * What the carrier can sell: the generated inventory of each seeded country (topped up as it is
 * bought), minus numbers that are taken (held by an account or reserved by a pending order),
 * minus countries switched off through the control API.
 */
export class TelnyxInventoryStore {
  private readonly byCountry = new Map<string, CountryInventory>();
  /** Every number ever offered, by E.164, for exact look-ups (orders). */
  private readonly offered = new Map<string, InventoryNumber>();
  private readonly unavailable = new Set<string>();
  /** Searches answered so far: each starts its page further on, like Telnyx's varying results. */
  private searches = 0;

  setAvailable(country: string, available: boolean): void {
    if (available) this.unavailable.delete(country);
    else this.unavailable.add(country);
  }

  unavailableCountries(): string[] {
    return [...this.unavailable];
  }

  /** `limit` matching numbers that are not taken (a different page each call), and how many matched in all. */
  search(query: InventorySearch, isTaken: (phoneNumber: string) => boolean): { numbers: InventoryNumber[]; total: number } {
    if (this.unavailable.has(query.country)) return { numbers: [], total: 0 };
    const inventory = this.inventoryOf(query.country);
    if (!inventory) return { numbers: [], total: 0 };
    if (inventory.topUp(isTaken)) this.index(inventory);
    const matches = inventory.numbers().filter((number) => matchesQuery(number, query) && !isTaken(number.phoneNumber));
    // Consecutive searches page through the matches, so concurrent buyers taking the first result
    // rarely collide; the sequence restarts on reset, so a run is repeatable.
    const start = matches.length > query.limit ? (this.searches * query.limit) % matches.length : 0;
    this.searches += 1;
    const page = [...matches.slice(start), ...matches.slice(0, start)].slice(0, query.limit);
    return { numbers: page, total: matches.length };
  }

  /** The inventory entry for an exact E.164 number offered by an available seeded country. */
  find(phoneNumber: string): InventoryNumber | undefined {
    for (const country of Object.keys(COUNTRY_PLANS)) this.inventoryOf(country);
    const found = this.offered.get(phoneNumber);
    return found && !this.unavailable.has(found.countryCode) ? found : undefined;
  }

  /** Back to the first few hundred numbers per country, all countries available. */
  clear(): void {
    this.unavailable.clear();
    this.byCountry.clear();
    this.offered.clear();
    this.searches = 0;
  }

  private inventoryOf(country: string): CountryInventory | undefined {
    let inventory = this.byCountry.get(country);
    if (!inventory) {
      inventory = CountryInventory.of(country);
      if (!inventory) return undefined;
      this.byCountry.set(country, inventory);
      this.index(inventory);
    }
    return inventory;
  }

  private index(inventory: CountryInventory): void {
    for (const number of inventory.numbers()) this.offered.set(number.phoneNumber, number);
  }
}

function matchesQuery(number: InventoryNumber, query: InventorySearch): boolean {
  const digits = number.phoneNumber.slice(1);
  const national = digits.slice(digits.indexOf(number.ndc));
  const strip = (value: string) => value.replace(/^\+/, '').replace(/\D/g, '');
  if (query.ndc && number.ndc !== query.ndc) return false;
  if (query.contains && !digits.includes(strip(query.contains))) return false;
  if (query.startsWith && !(national.startsWith(strip(query.startsWith)) || digits.startsWith(strip(query.startsWith)))) return false;
  if (query.endsWith && !digits.endsWith(strip(query.endsWith))) return false;
  if (query.locality && number.locality.toLowerCase() !== query.locality.toLowerCase()) return false;
  if (query.administrativeArea && number.administrativeArea?.toLowerCase() !== query.administrativeArea.toLowerCase()) return false;
  if (query.numberType && number.numberType !== query.numberType) return false;
  if (query.features && !query.features.every((feature) => number.features.includes(feature))) return false;
  return true;
}
