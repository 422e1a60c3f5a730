// Purchase and inventory search, end to end: the built gateway process on a database of its own
// and the built provider simulator as Stripe and Telnyx, driven by the public `@zernio/node` SDK.
import Zernio, {
  ZernioApiError,
  type CheckWhatsAppNumberAvailabilityResponse,
  type PurchaseWhatsAppPhoneNumberResponse,
  type SearchAvailableWhatsAppNumbersResponse,
} from '@zernio/node';
import type { Database } from '@numbers/persistence';
import { countOf, createTestAccountWithKey, type SimulatorProcess, type TestAccountWithKey } from '@numbers/test-support';
import { startGateway, type GatewaySystem } from './support/system';

// The SDK's results are typed through @hey-api/client-fetch, which it bundles without its
// types; this gives them the SDK's own response types.
const dataOf = <T>(result: { data?: unknown }): T => result.data as T;
type Purchase = PurchaseWhatsAppPhoneNumberResponse & { checkoutUrl?: string; status?: string; numberId?: string; phoneNumber?: unknown; kycUrl?: string };

let system: GatewaySystem;
let db: Database;
let sim: SimulatorProcess;
let acme: TestAccountWithKey;
let z: Zernio;

beforeAll(async () => {
  system = await startGateway();
  ({ db, sim } = system);
  acme = await createTestAccountWithKey(db, { name: 'Acme', planCode: 'growth' });
  z = new Zernio({ apiKey: acme.apiKey, baseURL: system.baseUrl });
}, 300_000);

afterAll(async () => {
  await system?.stop();
});

describe('buying a number through the @zernio/node SDK', () => {
  let numberId: string;

  it('the first purchase answers a Stripe Checkout URL whose hosted page loads', async () => {
    const result = await z.whatsappphonenumbers.purchaseWhatsAppPhoneNumber({ body: { profileId: acme.profileId, purchaseIntentId: 'e2e-intent-1' } });
    expect(result.response.status).toBe(200);
    const data = dataOf<Purchase>(result);
    expect(data).toEqual({ message: expect.any(String), checkoutUrl: expect.stringContaining('/checkout/') });

    const page = await fetch(data.checkoutUrl as string);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toMatch(/<form/i);

    const [number] = await db.selectFrom('phoneNumbers').selectAll().where('accountId', '=', acme.accountId).execute();
    numberId = number.id;
    expect(number).toMatchObject({ status: 'pending_payment', stripeCheckoutSessionId: expect.stringMatching(/^cs_/) });
    const sessions = await sim.get<{ stripe: { checkoutSessions: { id: string; metadata: Record<string, string> }[] } }>('/_sim/state');
    expect(sessions.stripe.checkoutSessions.find((s) => s.id === number.stripeCheckoutSessionId)?.metadata).toEqual({ accountId: acme.accountId, numberId });
  });

  it('a retry with the same purchaseIntentId answers already_purchased', async () => {
    const result = await z.whatsappphonenumbers.purchaseWhatsAppPhoneNumber({ body: { profileId: acme.profileId, purchaseIntentId: 'e2e-intent-1' } });
    expect(dataOf<Purchase>(result)).toEqual({ status: 'already_purchased', numberId, phoneNumber: null });
    expect(await countOf(db.selectFrom('phoneNumbers').where('accountId', '=', acme.accountId))).toBe(1);
  });

  it('a second purchase within 10 minutes is 409 PURCHASE_VELOCITY', async () => {
    const failure = await z.whatsappphonenumbers.purchaseWhatsAppPhoneNumber({ body: { profileId: acme.profileId } }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ZernioApiError);
    expect(failure).toMatchObject({ statusCode: 409, code: 'PURCHASE_VELOCITY' });
  });

  it('a country that needs KYC answers 202 kyc_required (velocity is checked first, hence allowMultiple)', async () => {
    const result = await z.whatsappphonenumbers.purchaseWhatsAppPhoneNumber({ body: { profileId: acme.profileId, country: 'DE', allowMultiple: true } });
    expect(result.response.status).toBe(202);
    expect(dataOf<Purchase>(result)).toEqual({ status: 'kyc_required', country: 'DE', numberType: 'local', kycUrl: expect.stringContaining('/v1/whatsapp/phone-numbers/kyc?country=DE&numberType=local') });
  });
});

describe('inventory through the SDK', () => {
  it('searches available numbers', async () => {
    const data = dataOf<SearchAvailableWhatsAppNumbersResponse>(
      await z.whatsappphonenumbers.searchAvailableWhatsAppNumbers({ query: { country: 'US', areaCode: '415', limit: 3 } }),
    );
    expect(data).toEqual({
      country: 'US',
      numberType: 'local',
      numbers: [1, 2, 3].map(() => ({ phoneNumber: expect.stringMatching(/^\+1415\d{7}$/), locality: 'San Francisco', bestEffort: false })),
    });
    const aliases = dataOf<SearchAvailableWhatsAppNumbersResponse>(await z.whatsappphonenumbers.searchAvailableWhatsAppNumbers({ query: { prefix: '212', limit: 1 } }));
    expect(aliases.numbers?.[0]?.phoneNumber).toMatch(/^\+1212/);
  });

  it('checks availability by area', async () => {
    const data = dataOf<CheckWhatsAppNumberAvailabilityResponse>(await z.whatsappphonenumbers.checkWhatsAppNumberAvailability({ query: { country: 'US' } }));
    expect(data).toMatchObject({ country: 'US', numberType: 'local', available: true, preOrderable: false, addressConstraint: 'none', soldOutAreas: [] });
    expect(data.areaOptions?.[0]).toEqual({ ndc: expect.stringMatching(/^\d{3}$/), name: expect.stringMatching(/, [A-Z]{2}$/), count: expect.any(Number) });
  });

  it('a bad query is a 400 naming the param', async () => {
    const failure = await z.whatsappphonenumbers.searchAvailableWhatsAppNumbers({ query: { country: 'US', limit: 500 } }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
  });
});
