// GET /v1/whatsapp/phone-numbers/available and /availability: the gateway's real module, the
// carrier played by the built provider simulator through the real `telnyx` SDK.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { seedAccount, type SeededAccount } from '../testing/gateway-test-app';
import { startGatewayWithSimulator, type GatewayWithSimulator } from '../testing/gateway-with-simulator';

jest.setTimeout(120_000);

const BASE = '/v1/whatsapp/phone-numbers';

interface AvailableBody {
  country: string;
  numberType: string;
  numbers: { phoneNumber: string; locality: string | null; bestEffort: boolean }[];
}
interface AvailabilityBody {
  country: string;
  numberType: string;
  available: boolean;
  preOrderable: boolean;
  addressConstraint: string;
  areas: string[];
  areaOptions: { ndc: string; name: string; count: number }[];
  soldOutAreas: unknown[];
}

let ctx: GatewayWithSimulator;
let app: NestFastifyApplication;
let acme: SeededAccount;

async function get(url: string) {
  const res = await app.inject({ method: 'GET', url, headers: { authorization: acme.bearer } });
  return { status: res.statusCode, body: res.json() };
}

async function available(query = ''): Promise<AvailableBody> {
  const res = await get(`${BASE}/available${query}`);
  expect(res.status).toBe(200);
  return res.body;
}

async function availability(query: string): Promise<AvailabilityBody> {
  const res = await get(`${BASE}/availability${query}`);
  expect(res.status).toBe(200);
  return res.body;
}

beforeAll(async () => {
  ctx = await startGatewayWithSimulator();
  app = ctx.app;
  acme = await seedAccount(ctx.database, 'Inventory', 'scale');
});

afterAll(async () => {
  await ctx?.close();
});

describe('GET /v1/whatsapp/phone-numbers/available', () => {
  it("searches the country's default type in the US by default, in the SDK's shape (not captured by /:phoneNumberId)", async () => {
    const body = await available();
    expect(body).toMatchObject({ country: 'US', numberType: 'local' });
    expect(body.numbers.length).toBeGreaterThan(0);
    for (const number of body.numbers) {
      expect(number).toEqual({ phoneNumber: expect.stringMatching(/^\+1(212|415|312|512|305|206)\d{7}$/), locality: expect.any(String), bestEffort: false });
    }
  });

  it('filters by areaCode (or its alias prefix), locality, contains, numberType (or its alias type) and limit', async () => {
    const sf = await available('?areaCode=415&limit=5');
    expect(sf.numbers).toHaveLength(5);
    expect(sf.numbers.every((n) => n.phoneNumber.startsWith('+1415') && n.locality === 'San Francisco')).toBe(true);
    const ny = await available('?prefix=212&limit=3');
    expect(ny.numbers.map((n) => n.phoneNumber.slice(0, 5))).toEqual(['+1212', '+1212', '+1212']);
    const chicago = await available('?locality=Chicago&limit=4');
    expect(chicago.numbers.every((n) => n.phoneNumber.startsWith('+1312'))).toBe(true);
    const exact = sf.numbers[0].phoneNumber;
    expect((await available(`?contains=${exact.slice(-7)}`)).numbers.map((n) => n.phoneNumber)).toContain(exact);
    for (const query of ['?numberType=toll_free&limit=2', '?type=toll_free&limit=2']) {
      const tollFree = await available(query);
      expect(tollFree.numberType).toBe('toll_free');
      expect(tollFree.numbers.map((n) => n.phoneNumber.slice(0, 5))).toEqual(['+1888', '+1888']);
    }
  });

  it('another country: its default type; lower case accepted', async () => {
    const gb = await available('?country=gb&limit=3');
    expect(gb).toMatchObject({ country: 'GB', numberType: 'mobile' });
    expect(gb.numbers.map((n) => n.phoneNumber.slice(0, 7))).toEqual(['+447700', '+447700', '+447700']);
  });

  it('a country out of stock (ours or the carrier’s) has no numbers', async () => {
    await ctx.database.updateTable('countries').set({ available: false }).where('code', '=', 'CA').execute();
    try {
      expect(await available('?country=CA')).toEqual({ country: 'CA', numberType: 'local', numbers: [] });
    } finally {
      await ctx.database.updateTable('countries').set({ available: true }).where('code', '=', 'CA').execute();
    }
    await ctx.sim.post('/_sim/telnyx/countries/AU/unavailable', {});
    try {
      expect(await available('?country=AU')).toEqual({ country: 'AU', numberType: 'mobile', numbers: [] });
    } finally {
      await ctx.sim.post('/_sim/telnyx/countries/AU/available', {});
    }
  });

  it('answers 400 naming the param for a bad query', async () => {
    for (const [query, param] of [
      ['?country=ZZ', 'country'],
      ['?country=USA', 'country'],
      ['?country=US&country=GB', 'country'],
      ['?limit=0', 'limit'],
      ['?limit=101', 'limit'],
      ['?limit=ten', 'limit'],
      ['?limit=2.5', 'limit'],
      ['?numberType=landline', 'numberType'],
      ['?type=landline', 'type'],
      ['?areaCode=abc', 'areaCode'],
      ['?prefix=', 'prefix'],
      ['?areaCode=415&prefix=212', 'prefix'],
      ['?numberType=local&type=mobile', 'type'],
      ['?contains=abc', 'contains'],
      ['?locality=', 'locality'],
    ]) {
      const res = await get(`${BASE}/available${query}`);
      expect({ query, res }).toEqual({ query, res: { status: 400, body: { error: expect.stringContaining(param), code: 'VALIDATION_FAILED', param } } });
    }
  });

  it('is 503 CARRIER_UNAVAILABLE when the carrier fails, and 401 without a key', async () => {
    // The SDK tries three times.
    await ctx.sim.post('/_sim/faults', { provider: 'telnyx', method: 'GET', path: '/v2/available_phone_numbers', action: 'fail', status: 503, times: 3 });
    const res = await get(`${BASE}/available`);
    expect(res).toEqual({ status: 503, body: { error: expect.any(String), code: 'CARRIER_UNAVAILABLE' } });
    expect(JSON.stringify(res.body)).not.toMatch(/telnyx|503 /i);
    const anonymous = await app.inject({ method: 'GET', url: `${BASE}/available` });
    expect([anonymous.statusCode, anonymous.json()]).toEqual([401, { error: 'Unauthorized' }]);
  });
});

describe('GET /v1/whatsapp/phone-numbers/availability', () => {
  it('US: stock by area code, "City, ST", no address constraint', async () => {
    const body = await availability('?country=US');
    expect(body).toMatchObject({ country: 'US', numberType: 'local', available: true, preOrderable: false, addressConstraint: 'none', areas: [], soldOutAreas: [] });
    const cities: Record<string, string> = { '212': 'New York, NY', '415': 'San Francisco, CA', '312': 'Chicago, IL', '512': 'Austin, TX', '305': 'Miami, FL', '206': 'Seattle, WA' };
    expect(body.areaOptions.length).toBeGreaterThan(1);
    for (const option of body.areaOptions) expect(option).toEqual({ ndc: expect.any(String), name: cities[option.ndc], count: expect.any(Number) });
    expect(body.areaOptions.reduce((sum, option) => sum + option.count, 0)).toBe(100);
    const counts = body.areaOptions.map((option) => option.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it('a type other than the default, and the SMS pool', async () => {
    const tollFree = await availability('?country=US&numberType=toll_free&sms=true');
    expect(tollFree).toMatchObject({ numberType: 'toll_free', available: true, areaOptions: [{ ndc: '888', name: 'Toll free', count: expect.any(Number) }] });
  });

  it('DE: area codes read from the numbers, a geo address constraint naming the areas', async () => {
    const body = await availability('?country=DE');
    expect(body).toMatchObject({ country: 'DE', numberType: 'local', available: true, addressConstraint: 'geo' });
    const known: Record<string, string> = { Berlin: '30', München: '89', Hamburg: '40', Köln: '221' };
    for (const option of body.areaOptions) expect(option.ndc).toBe(known[option.name]);
    expect(body.areas).toEqual(body.areaOptions.map((option) => option.name));
  });

  it('BR: mobile numbers with an address anywhere in the country', async () => {
    expect(await availability('?country=BR')).toMatchObject({ numberType: 'mobile', available: true, addressConstraint: 'country', areas: [] });
  });

  it('a country out of stock at the carrier is available: false with no areas', async () => {
    await ctx.sim.post('/_sim/telnyx/countries/GB/unavailable', {});
    try {
      expect(await availability('?country=GB')).toEqual({
        country: 'GB',
        numberType: 'mobile',
        available: false,
        preOrderable: false,
        addressConstraint: 'none',
        areas: [],
        areaOptions: [],
        soldOutAreas: [],
      });
    } finally {
      await ctx.sim.post('/_sim/telnyx/countries/GB/available', {});
    }
  });

  it('answers 400 naming the param', async () => {
    for (const [query, param] of [
      ['', 'country'],
      ['?country=', 'country'],
      ['?country=XY', 'country'],
      ['?country=US&numberType=fixed', 'numberType'],
      ['?country=US&sms=maybe', 'sms'],
    ]) {
      const res = await get(`${BASE}/availability${query}`);
      expect({ query, res }).toEqual({ query, res: { status: 400, body: { error: expect.stringContaining(param), code: 'VALIDATION_FAILED', param } } });
    }
  });
});
