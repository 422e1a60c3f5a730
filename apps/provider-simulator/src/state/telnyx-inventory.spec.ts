import { COUNTRY_PLANS, generateInventory } from './telnyx-inventory';
import { TelnyxInventoryStore } from './telnyx-inventory.store';

describe('generated Telnyx inventory', () => {
  it('gives each seeded country a few hundred distinct E.164 numbers, the same on every run', () => {
    for (const country of Object.keys(COUNTRY_PLANS)) {
      const numbers = generateInventory(country);
      expect(numbers.length).toBeGreaterThanOrEqual(250);
      expect(numbers.length).toBeLessThanOrEqual(320);
      expect(new Set(numbers.map((n) => n.phoneNumber)).size).toBe(numbers.length);
      expect(numbers.every((n) => /^\+[1-9]\d{9,13}$/.test(n.phoneNumber))).toBe(true);
      expect(generateInventory(country)).toEqual(numbers);
    }
    expect(generateInventory('JP')).toEqual([]);
  });

  it('searches with filters, leaves taken numbers out and counts all matches', () => {
    const store = new TelnyxInventoryStore();
    const first = store.search({ country: 'US', ndc: '212', limit: 1 }, () => false).numbers;
    expect(store.search({ country: 'US', ndc: '212', limit: 1 }, () => false).numbers).not.toEqual(first);
    store.clear();
    expect(store.search({ country: 'US', ndc: '212', limit: 1 }, () => false).numbers).toEqual(first);
    const all = store.search({ country: 'US', ndc: '212', limit: 100 }, () => false);
    expect(all.total).toBe(45);
    const taken = new Set(all.numbers.slice(0, 5).map((n) => n.phoneNumber));
    const rest = store.search({ country: 'US', ndc: '212', limit: 10 }, (phone) => taken.has(phone));
    expect(rest).toMatchObject({ total: 40 });
    expect(rest.numbers).toHaveLength(10);
    expect(rest.numbers.some((n) => taken.has(n.phoneNumber))).toBe(false);
    expect(store.search({ country: 'US', features: ['sms', 'fax'], numberType: 'toll_free', limit: 5 }, () => false).total).toBe(0);
    expect(store.find(all.numbers[0].phoneNumber)).toEqual(all.numbers[0]);
    store.setAvailable('US', false);
    expect(store.find(all.numbers[0].phoneNumber)).toBeUndefined();
  });
});

describe('inventory top-up', () => {
  it('offers more numbers of a region once more than half are taken, so big runs never run dry', () => {
    const store = new TelnyxInventoryStore();
    const taken = new Set<string>();
    const isTaken = (phone: string) => taken.has(phone);
    for (let bought = 0; bought < 500; bought += 1) {
      const [next] = store.search({ country: 'US', ndc: '212', limit: 1 }, isTaken).numbers;
      expect(next).toBeDefined();
      expect(store.find(next.phoneNumber)).toEqual(next);
      taken.add(next.phoneNumber);
    }
    expect(store.search({ country: 'US', ndc: '212', limit: 1 }, isTaken).total).toBeGreaterThan(0);
  });
});
