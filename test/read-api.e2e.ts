// The read API and release, end to end: the built gateway process (beside the simulator) on a
// database of its own, driven by the public `@zernio/node` SDK (a real client of ours) and by raw HTTP.
import Zernio, {
  ZernioApiError,
  type GetWhatsAppPhoneNumberResponse,
  type GetWhatsAppPhoneNumbersResponse,
  type ListWhatsAppNumberCountriesResponse,
  type ReleaseWhatsAppPhoneNumberResponse,
} from '@zernio/node';
import { newId, type NumberStatus } from '@numbers/domain';
import type { Insertable } from 'kysely';
import type { Database, DB } from '@numbers/persistence';
import { countOf, createTestAccountWithKey, createTestProfile, type TestAccountWithKey } from '@numbers/test-support';
import { startGateway, type GatewaySystem } from './support/system';

const DAY = 24 * 3600 * 1000;
type ListBody = GetWhatsAppPhoneNumbersResponse;
type JsonBody = Record<string, unknown> & { param?: string; status?: string; paths?: Record<string, unknown> };

// The SDK's results are typed through @hey-api/client-fetch, which it bundles without its
// types; these helpers give them the SDK's own response types.
const dataOf = <T>(result: { data?: unknown }): T => result.data as T;
const json = async (res: Response): Promise<JsonBody> => (await res.json()) as JsonBody;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let system: GatewaySystem;
let db: Database;
let baseUrl: string;
let acme: TestAccountWithKey;
let other: TestAccountWithKey;
let z: Zernio;
const ids: Record<string, string> = {};

async function seedNumber(account: { accountId: string; profileId: string }, status: NumberStatus, minutesAgo: number, extra: Partial<Insertable<DB['phoneNumbers']>> = {}) {
  const createdAt = new Date(Date.now() - minutesAgo * 60_000);
  const id = newId(createdAt);
  await db
    .insertInto('phoneNumbers')
    .values({
      id,
      accountId: account.accountId,
      profileId: account.profileId,
      status,
      country: 'US',
      monthlyCents: 300,
      phoneNumber: `+1415555${String(1000 + Object.keys(ids).length).padStart(4, '0')}`,
      createdAt,
      ...extra,
    })
    .execute();
  return id;
}

beforeAll(async () => {
  system = await startGateway();
  ({ db, baseUrl } = system);
  acme = await createTestAccountWithKey(db, { name: 'Acme', planCode: 'growth' });
  other = await createTestAccountWithKey(db, { name: 'Other', planCode: 'growth' });
  const { profileId: second } = await createTestProfile(db, acme.accountId, 'Second');

  ids['active'] = await seedNumber(acme, 'active', 50, { callingEnabled: true });
  ids['suspended'] = await seedNumber({ accountId: acme.accountId, profileId: second }, 'suspended', 40);
  ids['pending_regulatory'] = await seedNumber(acme, 'pending_regulatory', 30);
  ids['declined_recent'] = await seedNumber(acme, 'regulatory_declined', 20, {
    regulatoryDeclinedAt: new Date(Date.now() - 10 * DAY),
    regulatoryDeclineReason: 'Proof of address is older than three months',
  });
  ids['declined_old'] = await seedNumber(acme, 'regulatory_declined', 15, { regulatoryDeclinedAt: new Date(Date.now() - 40 * DAY) });
  ids['released'] = await seedNumber(acme, 'released', 10, { releasedAt: new Date() });
  ids['to_release'] = await seedNumber(acme, 'active', 5);
  ids['other'] = await seedNumber(other, 'active', 1);
  await db
    .insertInto('connectedNumbers')
    .values({ id: newId(), accountId: acme.accountId, profileId: acme.profileId, socialAccountId: newId(), phoneNumber: '+447700900123', displayName: 'BYO' })
    .execute();
  z = new Zernio({ apiKey: acme.apiKey, baseURL: baseUrl });
}, 300_000);

afterAll(async () => {
  await system?.stop();
});

describe('through the @zernio/node SDK', () => {
  it('lists the default view: all but released, newest first, connected and sandbox', async () => {
    const data = dataOf<ListBody>(await z.whatsappphonenumbers.getWhatsAppPhoneNumbers({ query: {} }));
    expect(data?.numbers?.map((n) => n._id)).toEqual([
      ids['to_release'],
      ids['declined_old'],
      ids['declined_recent'],
      ids['pending_regulatory'],
      ids['suspended'],
      ids['active'],
    ]);
    const active = data?.numbers?.find((n) => n._id === ids['active']);
    expect(active).toMatchObject({ status: 'active', country: 'US', hostedByZernio: true, sipTrunkId: null, callingEnabled: true, monthlyCents: 300 });
    expect(active?.profileId).toEqual({ _id: acme.profileId, name: 'Default' });
    expect(data?.connected).toEqual([expect.objectContaining({ phoneNumber: '+447700900123', displayName: 'BYO', profileId: acme.profileId })]);
    expect(data?.sandbox).toMatchObject({ isSandbox: true, template: { name: expect.any(String), language: expect.any(String) } });
  });

  it('lists the provisioning view and the released view', async () => {
    const provisioning = { data: dataOf<ListBody>(await z.whatsappphonenumbers.getWhatsAppPhoneNumbers({ query: { status: 'pending_regulatory' } })) };
    expect(provisioning.data?.numbers?.map((n) => [n._id, n.status, n.regulatoryDeclineReason])).toEqual([
      [ids['declined_recent'], 'regulatory_declined', 'Proof of address is older than three months'],
      [ids['pending_regulatory'], 'pending_regulatory', null],
    ]);
    expect(provisioning.data?.connected).toEqual([]);
    const released = { data: dataOf<ListBody>(await z.whatsappphonenumbers.getWhatsAppPhoneNumbers({ query: { status: 'released' } })) };
    expect(released.data?.numbers?.map((n) => n._id)).toEqual([ids['released']]);
  });

  it('gets one number, and not another account’s', async () => {
    const data = dataOf<GetWhatsAppPhoneNumberResponse>(await z.whatsappphonenumbers.getWhatsAppPhoneNumber({ path: { phoneNumberId: ids['suspended'] } }));
    expect(data?.phoneNumber).toMatchObject({ id: ids['suspended'], status: 'suspended', country: 'US' });
    const failure = await z.whatsappphonenumbers.getWhatsAppPhoneNumber({ path: { phoneNumberId: ids['other'] } }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ZernioApiError);
    expect(failure).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
  });

  it('lists the countries', async () => {
    const data = dataOf<ListWhatsAppNumberCountriesResponse>(await z.whatsappphonenumbers.listWhatsAppNumberCountries());
    expect(data?.countries?.map((c) => c.code).sort()).toEqual(['AU', 'BR', 'CA', 'DE', 'FR', 'GB', 'US']);
    expect(data?.countries?.find((c) => c.code === 'GB')).toEqual({ code: 'GB', tier: 2, monthlyCents: 600, needsKyc: false, outboundCallingAvailable: true });
  });

  it('releases a number: releasing at once, the same on repeat, 409 once released', async () => {
    const first = await z.whatsappphonenumbers.releaseWhatsAppPhoneNumber({ path: { phoneNumberId: ids['to_release'] } });
    expect(first.response.status).toBe(200);
    expect(dataOf<ReleaseWhatsAppPhoneNumberResponse>(first)).toEqual({ message: expect.any(String), phoneNumber: { id: ids['to_release'], phoneNumber: expect.stringMatching(/^\+1/), status: 'releasing', releasedAt: null } });
    const again = await z.whatsappphonenumbers.releaseWhatsAppPhoneNumber({ path: { phoneNumberId: ids['to_release'] } });
    expect(again.data).toEqual(first.data);
    expect((await db.selectFrom('phoneNumbers').select('status').where('id', '=', ids['to_release']).executeTakeFirstOrThrow()).status).toBe('releasing');
    expect(await countOf(db.selectFrom('outbox').where('name', '=', 'release-number'))).toBe(1);

    const conflict = await z.whatsappphonenumbers.releaseWhatsAppPhoneNumber({ path: { phoneNumberId: ids['released'] } }).catch((e: unknown) => e);
    expect(conflict).toMatchObject({ statusCode: 409, code: 'NUMBER_RELEASED' });
  });

  it('an SDK with a wrong key gets 401', async () => {
    const stranger = new Zernio({ apiKey: 'nk_AAAAAAAAAAAA_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB', baseURL: baseUrl });
    const failure = await stranger.whatsappphonenumbers.getWhatsAppPhoneNumbers().catch((e: unknown) => e);
    expect(failure).toMatchObject({ statusCode: 401, message: 'Unauthorized' });
  });
});

describe('over raw HTTP', () => {
  const auth = () => ({ authorization: `Bearer ${acme.apiKey}` });

  it('401 is exactly {"error":"Unauthorized"} with a request id', async () => {
    // The last character changed, to one it is not (a fixed 'X' was the key itself one run in 62).
    const lastChanged = acme.apiKey.slice(0, -1) + (acme.apiKey.endsWith('X') ? 'Y' : 'X');
    for (const headers of [{}, { authorization: 'Bearer nope' }, { authorization: `Bearer ${lastChanged}` }] as Array<Record<string, string>>) {
      const res = await fetch(`${baseUrl}/v1/whatsapp/phone-numbers`, { headers });
      expect(res.status).toBe(401);
      expect(await res.text()).toBe('{"error":"Unauthorized"}');
      expect(res.headers.get('x-request-id')).toMatch(UUID);
    }
  });

  it('400 names the param; 404s have the error shape; every response has a request id and rate-limit headers', async () => {
    const bad = await fetch(`${baseUrl}/v1/whatsapp/phone-numbers?status=sold`, { headers: { ...auth(), 'x-request-id': 'e2e-400' } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: expect.stringContaining('status'), code: 'VALIDATION_FAILED', param: 'status' });
    expect(bad.headers.get('x-request-id')).toBe('e2e-400');
    expect(bad.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/);
    expect(bad.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
    expect(Number(bad.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000 - 1);

    const badProfile = await fetch(`${baseUrl}/v1/whatsapp/phone-numbers?profileId=42`, { headers: auth() });
    expect(await badProfile.json()).toMatchObject({ code: 'VALIDATION_FAILED', param: 'profileId' });
    const badId = await fetch(`${baseUrl}/v1/whatsapp/phone-numbers/42`, { headers: auth() });
    expect([badId.status, (await json(badId)).param]).toEqual([400, 'phoneNumberId']);

    const missing = await fetch(`${baseUrl}/v1/whatsapp/phone-numbers/${ids['other']}`, { headers: auth() });
    expect([missing.status, await missing.json()]).toEqual([404, { error: 'Phone number not found', code: 'NOT_FOUND' }]);
    const route = await fetch(`${baseUrl}/v1/no-such-route`, { headers: { ...auth(), 'x-request-id': 'e2e-404' } });
    expect([route.status, await route.json(), route.headers.get('x-request-id')]).toEqual([404, { error: 'Not found', code: 'NOT_FOUND' }, 'e2e-404']);
  });

  it('serves health, the OpenAPI document and Swagger UI with its assets from the bundle', async () => {
    const health = await fetch(`${baseUrl}/health`);
    expect([health.status, (await json(health)).status]).toEqual([200, 'ok']);
    const doc = await fetch(`${baseUrl}/v1/openapi.json`);
    expect(doc.status).toBe(200);
    expect((await json(doc)).paths).toHaveProperty(['/v1/whatsapp/phone-numbers/{phoneNumberId}']);
    const ui = await fetch(`${baseUrl}/docs`);
    expect([ui.status, ui.headers.get('content-type')]).toEqual([200, expect.stringContaining('text/html')]);
    for (const asset of ['swagger-ui-bundle.js', 'swagger-ui.css', 'swagger-ui-init.js']) {
      const res = await fetch(`${baseUrl}/docs/${asset}`);
      expect([asset, res.status]).toEqual([asset, 200]);
    }
  });

  it('logs JSON lines with the request id and never the key', async () => {
    await fetch(`${baseUrl}/v1/whatsapp/phone-numbers`, { headers: { ...auth(), 'x-request-id': 'e2e-log-trace' } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const logs = system.gateway.logs();
    const line = logs.split('\n').find((l) => l.includes('e2e-log-trace'));
    expect(line).toBeDefined();
    const json = JSON.parse((line ?? '{}').replace(/^(out|err) \| /, ''));
    expect(json).toMatchObject({ req: { id: 'e2e-log-trace', headers: { authorization: '[redacted]' } }, res: { statusCode: 200 } });
    expect(logs).not.toContain(acme.apiKey.split('_')[2]);
  });
});
