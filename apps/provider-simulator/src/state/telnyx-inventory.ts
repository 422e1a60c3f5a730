import type { TelnyxNumberType } from './telnyx.store';

/** A number the carrier offers, as generated for a seeded country. */
export interface InventoryNumber {
  /** E.164. */
  phoneNumber: string;
  countryCode: string;
  /** National destination (area) code, e.g. `212`, `20`, `30`. */
  ndc: string;
  locality: string;
  /** State or province where the country has them; null otherwise. */
  administrativeArea: string | null;
  numberType: TelnyxNumberType;
  features: string[];
  monthlyCost: string;
  upfrontCost: string;
}

interface Region {
  ndc: string;
  locality: string;
  area?: string;
  type?: TelnyxNumberType;
  /** Digits after the NDC; the first one is drawn from `firstDigits`. */
  digits: number;
  firstDigits?: string;
  count: number;
}

interface CountryPlan {
  callingCode: string;
  monthlyCost: string;
  regions: Region[];
}

const LOCAL_FEATURES = ['sms', 'mms', 'voice', 'fax', 'emergency'];
const MOBILE_FEATURES = ['sms', 'voice'];
const TOLL_FREE_FEATURES = ['sms', 'voice'];

/** The seeded countries: a few hundred numbers each, in each country's real numbering format. */
export const COUNTRY_PLANS: Readonly<Record<string, CountryPlan>> = {
  US: {
    callingCode: '1',
    monthlyCost: '1.00',
    regions: [
      { ndc: '212', locality: 'New York', area: 'NY', digits: 7, firstDigits: '23456789', count: 45 },
      { ndc: '415', locality: 'San Francisco', area: 'CA', digits: 7, firstDigits: '23456789', count: 45 },
      { ndc: '312', locality: 'Chicago', area: 'IL', digits: 7, firstDigits: '23456789', count: 45 },
      { ndc: '512', locality: 'Austin', area: 'TX', digits: 7, firstDigits: '23456789', count: 45 },
      { ndc: '305', locality: 'Miami', area: 'FL', digits: 7, firstDigits: '23456789', count: 45 },
      { ndc: '206', locality: 'Seattle', area: 'WA', digits: 7, firstDigits: '23456789', count: 45 },
      { ndc: '888', locality: 'Toll free', type: 'toll_free', digits: 7, firstDigits: '23456789', count: 30 },
    ],
  },
  CA: {
    callingCode: '1',
    monthlyCost: '1.00',
    regions: [
      { ndc: '416', locality: 'Toronto', area: 'ON', digits: 7, firstDigits: '23456789', count: 65 },
      { ndc: '604', locality: 'Vancouver', area: 'BC', digits: 7, firstDigits: '23456789', count: 65 },
      { ndc: '514', locality: 'Montreal', area: 'QC', digits: 7, firstDigits: '23456789', count: 65 },
      { ndc: '403', locality: 'Calgary', area: 'AB', digits: 7, firstDigits: '23456789', count: 65 },
    ],
  },
  GB: {
    callingCode: '44',
    monthlyCost: '1.50',
    regions: [
      { ndc: '20', locality: 'London', digits: 8, firstDigits: '378', count: 80 },
      { ndc: '161', locality: 'Manchester', digits: 7, firstDigits: '2345678', count: 60 },
      { ndc: '121', locality: 'Birmingham', digits: 7, firstDigits: '2345678', count: 60 },
      { ndc: '131', locality: 'Edinburgh', digits: 7, firstDigits: '2345678', count: 50 },
      { ndc: '7700', locality: 'Mobile', type: 'mobile', digits: 6, count: 50 },
    ],
  },
  DE: {
    callingCode: '49',
    monthlyCost: '2.00',
    regions: [
      { ndc: '30', locality: 'Berlin', area: 'BE', digits: 8, firstDigits: '23456789', count: 70 },
      { ndc: '89', locality: 'München', area: 'BY', digits: 8, firstDigits: '23456789', count: 60 },
      { ndc: '40', locality: 'Hamburg', area: 'HH', digits: 8, firstDigits: '23456789', count: 60 },
      { ndc: '221', locality: 'Köln', area: 'NW', digits: 7, firstDigits: '23456789', count: 50 },
      { ndc: '151', locality: 'Mobile', type: 'mobile', digits: 8, count: 50 },
    ],
  },
  FR: {
    callingCode: '33',
    monthlyCost: '2.00',
    regions: [
      { ndc: '1', locality: 'Paris', area: 'IDF', digits: 8, count: 80 },
      { ndc: '3', locality: 'Lille', area: 'HDF', digits: 8, count: 50 },
      { ndc: '4', locality: 'Lyon', area: 'ARA', digits: 8, count: 60 },
      { ndc: '5', locality: 'Bordeaux', area: 'NAQ', digits: 8, count: 50 },
      { ndc: '6', locality: 'Mobile', type: 'mobile', digits: 8, count: 50 },
    ],
  },
  BR: {
    callingCode: '55',
    monthlyCost: '3.00',
    regions: [
      { ndc: '11', locality: 'São Paulo', area: 'SP', digits: 8, firstDigits: '2345', count: 80 },
      { ndc: '21', locality: 'Rio de Janeiro', area: 'RJ', digits: 8, firstDigits: '2345', count: 70 },
      { ndc: '31', locality: 'Belo Horizonte', area: 'MG', digits: 8, firstDigits: '2345', count: 60 },
      { ndc: '11', locality: 'São Paulo', area: 'SP', type: 'mobile', digits: 9, firstDigits: '9', count: 50 },
    ],
  },
  AU: {
    callingCode: '61',
    monthlyCost: '2.50',
    regions: [
      { ndc: '2', locality: 'Sydney', area: 'NSW', digits: 8, firstDigits: '89', count: 70 },
      { ndc: '3', locality: 'Melbourne', area: 'VIC', digits: 8, firstDigits: '89', count: 70 },
      { ndc: '7', locality: 'Brisbane', area: 'QLD', digits: 8, firstDigits: '3', count: 50 },
      { ndc: '8', locality: 'Perth', area: 'WA', digits: 8, firstDigits: '69', count: 40 },
      { ndc: '4', locality: 'Mobile', type: 'mobile', digits: 8, count: 50 },
    ],
  },
};

/** The same numbers on every run, for a country; empty for a country that is not seeded. */
export function generateInventory(country: string): InventoryNumber[] {
  return CountryInventory.of(country)?.numbers() ?? [];
}

/**
 * A seeded country's inventory: per region, a deterministic stream of numbers of which the first
 * `count` are on offer. `topUp` offers the next `count` of a region once more than half of it is
 * taken, so large runs never exhaust the carrier (a real one has millions) while small runs see
 * the same few hundred numbers every time.
 */
export class CountryInventory {
  private readonly streams: RegionStream[];

  private constructor(country: string, plan: CountryPlan) {
    this.streams = plan.regions.map((region) => new RegionStream(country, plan, region));
  }

  static of(country: string): CountryInventory | undefined {
    const plan = COUNTRY_PLANS[country];
    return plan ? new CountryInventory(country, plan) : undefined;
  }

  numbers(): InventoryNumber[] {
    return this.streams.flatMap((stream) => stream.numbers);
  }

  /** Offers more numbers in every region where more than half are taken; true when it grew. */
  topUp(isTaken: (phoneNumber: string) => boolean): boolean {
    let grew = false;
    for (const stream of this.streams) {
      const free = stream.numbers.filter((number) => !isTaken(number.phoneNumber)).length;
      if (free * 2 < stream.region.count) {
        stream.extend(stream.region.count);
        grew = true;
      }
    }
    return grew;
  }
}

class RegionStream {
  readonly numbers: InventoryNumber[] = [];
  private readonly seen = new Set<string>();
  private readonly random: () => number;
  private readonly type: TelnyxNumberType;

  constructor(
    private readonly country: string,
    private readonly plan: CountryPlan,
    readonly region: Region,
  ) {
    this.type = region.type ?? 'local';
    this.random = seededRandom(`${country}:${region.ndc}:${this.type}`);
    this.extend(region.count);
  }

  extend(count: number): void {
    const firstDigits = this.region.firstDigits ?? '0123456789';
    const target = this.numbers.length + count;
    while (this.numbers.length < target) {
      let subscriber = firstDigits[Math.floor(this.random() * firstDigits.length)];
      while (subscriber.length < this.region.digits) subscriber += String(Math.floor(this.random() * 10));
      if (this.seen.has(subscriber)) continue;
      this.seen.add(subscriber);
      const cost = this.type === 'local' ? this.plan.monthlyCost : (Number(this.plan.monthlyCost) * 2).toFixed(2);
      this.numbers.push({
        phoneNumber: `+${this.plan.callingCode}${this.region.ndc}${subscriber}`,
        countryCode: this.country,
        ndc: this.region.ndc,
        locality: this.region.locality,
        administrativeArea: this.region.area ?? null,
        numberType: this.type,
        features: this.type === 'mobile' ? MOBILE_FEATURES : this.type === 'toll_free' ? TOLL_FREE_FEATURES : LOCAL_FEATURES,
        monthlyCost: cost,
        upfrontCost: cost,
      });
    }
  }
}

/** mulberry32 seeded from a string hash: cheap, deterministic, good enough for phone numbers. */
function seededRandom(seed: string): () => number {
  let state = 0;
  for (const char of seed) state = (Math.imul(state, 31) + char.charCodeAt(0)) | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
