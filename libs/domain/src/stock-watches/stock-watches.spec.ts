import { stockAvailableEventOf, stockFoundOf, stockOf, stockProbeKey, stockProbesOf, type StockFound, type StockProbe } from './stock-watches';

const found = (entries: Array<[StockProbe, StockFound]>) => new Map(entries.map(([probe, f]) => [stockProbeKey(probe), f]));
const none: StockFound = { count: 0, areaName: null };

describe('stockProbesOf', () => {
  it('asks once per (country, type, area), a watch of any type once per type, shared with the typed ones', () => {
    const probes = stockProbesOf([
      { country: 'GB', numberType: null, areaCode: null },
      { country: 'GB', numberType: 'mobile', areaCode: null },
      { country: 'GB', numberType: 'local', areaCode: '20' },
      { country: 'GB', numberType: 'local', areaCode: '20' },
      { country: 'US', numberType: 'toll_free', areaCode: null },
    ]);
    expect(probes.map(stockProbeKey)).toEqual(['GB:local:', 'GB:mobile:', 'GB:national:', 'GB:toll_free:', 'GB:local:20', 'US:toll_free:']);
  });
});

describe('stockOf', () => {
  const gb = (numberType: StockProbe['numberType'], areaCode: string | null = null): StockProbe => ({ country: 'GB', numberType, areaCode });

  it('tells a watch of any type every type with numbers, in a fixed order', () => {
    const answers = found([
      [gb('local'), { count: 12, areaName: 'London' }],
      [gb('mobile'), { count: 3, areaName: 'Mobile' }],
      [gb('national'), none],
      [gb('toll_free'), none],
    ]);
    expect(stockOf({ country: 'GB', numberType: null, areaCode: null }, answers)).toEqual({
      country: 'GB',
      types: [
        { numberType: 'local', availableCount: 12 },
        { numberType: 'mobile', availableCount: 3 },
      ],
    });
    expect(stockOf({ country: 'GB', numberType: 'national', areaCode: null }, answers)).toBeNull();
  });

  it('names the area of a watch that named one', () => {
    const answers = found([[gb('local', '20'), { count: 5, areaName: 'London' }]]);
    expect(stockOf({ country: 'GB', numberType: 'local', areaCode: '20' }, answers)).toEqual({
      country: 'GB',
      types: [{ numberType: 'local', availableCount: 5 }],
      areaCode: '20',
      areaName: 'London',
    });
  });

  it('says nothing while a probe of the watch has no answer (the carrier failed it)', () => {
    const partial = found([
      [gb('local'), { count: 12, areaName: 'London' }],
      [gb('mobile'), none],
    ]);
    expect(stockOf({ country: 'GB', numberType: null, areaCode: null }, partial)).toBeNull();
    expect(stockOf({ country: 'GB', numberType: 'local', areaCode: null }, partial)).toMatchObject({ types: [{ numberType: 'local', availableCount: 12 }] });
  });
});

describe('stockFoundOf', () => {
  it('counts the numbers and names the place most of them give', () => {
    expect(stockFoundOf(['Leeds', 'London', null, 'London'])).toEqual({ count: 4, areaName: 'London' });
    expect(stockFoundOf([null])).toEqual({ count: 1, areaName: null });
    expect(stockFoundOf([])).toEqual({ count: 0, areaName: null });
  });
});

describe('stockAvailableEventOf', () => {
  it('is the SDK payload, with a fresh id and the time it was born', () => {
    const at = new Date('2026-12-07T10:00:00Z');
    const stock = { country: 'GB', types: [{ numberType: 'local', availableCount: 2 }] };
    const event = stockAvailableEventOf(stock, at);
    expect(event).toEqual({ id: expect.stringMatching(/^[0-9a-f]{24}$/), event: 'phone_number.stock_available', stock, timestamp: '2026-12-07T10:00:00.000Z' });
    expect(stockAvailableEventOf(stock, at).id).not.toBe(event.id);
  });
});
