import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { newId, type NumberStatus } from '@numbers/domain';
import {
  createProfile,
  seedAccount,
  seedConnected,
  seedNumber,
  startGatewayForTest,
  type GatewayTestContext,
  type SeededAccount,
} from '../testing/gateway-test-app';

const LIST = '/v1/whatsapp/phone-numbers';
const DAY = 24 * 3600 * 1000;
const LIVE_STATES: NumberStatus[] = ['pending_payment', 'provisioning', 'pending_regulatory', 'verifying', 'active', 'suspended', 'releasing'];

let ctx: GatewayTestContext;
let app: NestFastifyApplication;
let acme: SeededAccount;
let other: SeededAccount;
let secondProfileId: string;
/** Every number of acme by name. */
const ids: Record<string, string> = {};
const connectedIds: Record<string, string> = {};

type Item = { _id: string; status: NumberStatus; profileId: { _id: string; name: string }; regulatoryDeclineReason: string | null };
type ListBody = { numbers: Item[]; connected: Array<{ accountId: string; profileId: string }>; sandbox: unknown };

async function get(url: string, bearer = acme.bearer) {
  return app.inject({ method: 'GET', url, headers: { authorization: bearer } });
}

async function list(query = '', bearer = acme.bearer): Promise<ListBody> {
  const res = await get(`${LIST}${query}`, bearer);
  expect(res.statusCode).toBe(200);
  return res.json();
}

const names = (body: ListBody) => body.numbers.map((n) => Object.keys(ids).find((k) => ids[k] === n._id) ?? n._id);
const numberRow = (id: string) => ctx.database.selectFrom('phoneNumbers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const outboxRows = () => ctx.database.selectFrom('outbox').selectAll().orderBy('id').execute();

beforeAll(async () => {
  ctx = await startGatewayForTest({
    env: { SANDBOX_PHONE_NUMBER: '+15557654321', SANDBOX_ACCOUNT_ID: 'sandbox-acct', SANDBOX_TEMPLATE_NAME: 'sbx_hello', SANDBOX_TEMPLATE_LANGUAGE: 'de' },
  });
  app = ctx.app;
  acme = await seedAccount(ctx.database, 'Acme');
  other = await seedAccount(ctx.database, 'Other');
  ({ profileId: secondProfileId } = await createProfile(ctx.database, acme.accountId, 'Second'));

  // One number in each of the nine states, oldest first; the live ones alternate profiles.
  const base = Date.now() - 60 * 60_000;
  let minute = 0;
  const at = () => new Date(base + minute++ * 60_000);
  for (const [i, status] of LIVE_STATES.entries()) {
    ids[status] = await seedNumber(ctx.database, {
      accountId: acme.accountId,
      profileId: i % 2 === 0 ? acme.profileId : secondProfileId,
      status,
      createdAt: at(),
    });
  }
  ids['released'] = await seedNumber(ctx.database, { accountId: acme.accountId, profileId: acme.profileId, status: 'released', createdAt: at(), releasedAt: new Date() });
  ids['declined_10d'] = await seedNumber(ctx.database, {
    accountId: acme.accountId,
    profileId: secondProfileId,
    status: 'regulatory_declined',
    createdAt: at(),
    regulatoryDeclinedAt: new Date(Date.now() - 10 * DAY),
    regulatoryDeclineReason: 'Address is not in the number area',
  });
  ids['declined_40d'] = await seedNumber(ctx.database, {
    accountId: acme.accountId,
    profileId: acme.profileId,
    status: 'regulatory_declined',
    createdAt: at(),
    regulatoryDeclinedAt: new Date(Date.now() - 40 * DAY),
    regulatoryDeclineReason: 'ID expired',
  });
  ids['active_2'] = await seedNumber(ctx.database, { accountId: acme.accountId, profileId: acme.profileId, status: 'active', createdAt: at(), callingEnabled: true });
  ids['other_active'] = await seedNumber(ctx.database, { accountId: other.accountId, profileId: other.profileId, status: 'active', createdAt: at() });

  connectedIds['main'] = await seedConnected(ctx.database, { accountId: acme.accountId, profileId: acme.profileId, phoneNumber: '+447700900001', displayName: 'Main BYO' });
  connectedIds['second'] = await seedConnected(ctx.database, { accountId: acme.accountId, profileId: secondProfileId, phoneNumber: '+447700900002' });
  await seedConnected(ctx.database, { accountId: other.accountId, profileId: other.profileId, phoneNumber: '+447700900003' });
});

afterAll(async () => {
  await ctx?.close();
});

describe('GET /v1/whatsapp/phone-numbers', () => {
  it('by default: every number but released ones, newest first, connected numbers and the sandbox', async () => {
    const body = await list();
    expect(names(body)).toEqual([
      'active_2',
      'declined_40d',
      'declined_10d',
      'releasing',
      'suspended',
      'active',
      'verifying',
      'pending_regulatory',
      'provisioning',
      'pending_payment',
    ]);
    expect(body.connected.map((c) => c.profileId).sort()).toEqual([acme.profileId, secondProfileId].sort());
    expect(body.sandbox).toEqual({ phoneNumber: '+15557654321', accountId: 'sandbox-acct', template: { name: 'sbx_hello', language: 'de' }, isSandbox: true });
  });

  it('shows each number with the SDK fields', async () => {
    const body = await list();
    const item = body.numbers.find((n) => n._id === ids['declined_10d']);
    const row = await numberRow(ids['declined_10d']);
    expect(item).toEqual({
      _id: row.id,
      phoneNumber: row.phoneNumber,
      country: 'US',
      status: 'regulatory_declined',
      registrantName: null,
      telnyxOrderId: null,
      monthlyCents: 300,
      hostedByZernio: true,
      sipTrunkId: null,
      profileId: { _id: secondProfileId, name: 'Second' },
      provisionedAt: null,
      metaPreverifiedId: null,
      metaVerificationStatus: null,
      onfidoVerificationUrl: null,
      endUserFirstName: null,
      endUserLastName: null,
      regulatoryDeclineReason: 'Address is not in the number area',
      callingEnabled: false,
      createdAt: row.createdAt.toISOString(),
    });
    const connected = body.connected.find((c) => c.profileId === acme.profileId);
    const stored = await ctx.database.selectFrom('connectedNumbers').selectAll().where('id', '=', connectedIds['main']).executeTakeFirstOrThrow();
    expect(connected).toEqual({
      accountId: stored.socialAccountId,
      phoneNumber: '+447700900001',
      displayName: 'Main BYO',
      profileId: acme.profileId,
      connectedAt: stored.connectedAt.toISOString(),
      callingEnabled: false,
    });
  });

  it('status=pending_regulatory is the provisioning view: in review plus declined in the last 30 days', async () => {
    const body = await list('?status=pending_regulatory');
    expect(names(body)).toEqual(['declined_10d', 'pending_regulatory']);
    expect(body.numbers[0].regulatoryDeclineReason).toBe('Address is not in the number area');
    expect(body.connected).toEqual([]);
    expect(body.sandbox).toMatchObject({ isSandbox: true });
  });

  it('status=regulatory_declined shows every declined number', async () => {
    expect(names(await list('?status=regulatory_declined'))).toEqual(['declined_40d', 'declined_10d']);
  });

  it('status=released is the only way to see released numbers', async () => {
    const body = await list('?status=released');
    expect(names(body)).toEqual(['released']);
    expect(body.connected).toEqual([]);
    for (const status of [...LIVE_STATES, 'regulatory_declined']) {
      expect(names(await list(`?status=${status}`))).not.toContain('released');
    }
  });

  it('status=active includes connected numbers; every other status view has connected: []', async () => {
    const active = await list('?status=active');
    expect(names(active)).toEqual(['active_2', 'active']);
    expect(active.connected).toHaveLength(2);
    for (const status of ['pending_payment', 'provisioning', 'verifying', 'suspended', 'releasing', 'regulatory_declined']) {
      const body = await list(`?status=${status}`);
      expect({ status, numbers: names(body), connected: body.connected }).toEqual({ status, numbers: [status === 'regulatory_declined' ? 'declined_40d' : status].concat(status === 'regulatory_declined' ? ['declined_10d'] : []), connected: [] });
      expect(body.sandbox).toMatchObject({ isSandbox: true });
    }
  });

  it('profileId filters numbers and connected numbers', async () => {
    const second = await list(`?profileId=${secondProfileId}`);
    expect(names(second)).toEqual(['declined_10d', 'suspended', 'verifying', 'provisioning']);
    expect(second.connected.map((c) => c.profileId)).toEqual([secondProfileId]);
    const provisioning = await list(`?status=pending_regulatory&profileId=${secondProfileId}`);
    expect(names(provisioning)).toEqual(['declined_10d']);
    const activeMain = await list(`?status=active&profileId=${acme.profileId}`);
    expect(names(activeMain)).toEqual(['active_2', 'active']);
    expect(activeMain.connected.map((c) => c.profileId)).toEqual([acme.profileId]);
    // A well-formed id of no profile of this account: nothing, not an error.
    const none = await list(`?profileId=${other.profileId}`);
    expect(none).toMatchObject({ numbers: [], connected: [] });
  });

  it("never shows another account's numbers", async () => {
    const body = await list('', other.bearer);
    expect(names(body)).toEqual(['other_active']);
    expect(body.connected).toHaveLength(1);
  });

  it('an unknown status or a malformed profileId is a 400 naming the param', async () => {
    for (const [query, param] of [
      ['?status=bogus', 'status'],
      ['?status=ACTIVE', 'status'],
      ['?status=', 'status'],
      ['?status=active&status=released', 'status'],
      ['?profileId=123', 'profileId'],
      ['?profileId=6745A1B2C3D4E5F6A7B8C9D0', 'profileId'],
      ['?profileId=', 'profileId'],
      ['?status=active&profileId=zzzzzzzzzzzzzzzzzzzzzzzz', 'profileId'],
    ]) {
      const res = await get(`${LIST}${query}`);
      expect({ query, status: res.statusCode, body: res.json() }).toEqual({
        query,
        status: 400,
        body: { error: expect.stringContaining(param), code: 'VALIDATION_FAILED', param },
      });
    }
  });
});

describe('GET /v1/whatsapp/phone-numbers/{phoneNumberId}', () => {
  it('answers one number with id', async () => {
    const res = await get(`${LIST}/${ids['active_2']}`);
    expect(res.statusCode).toBe(200);
    const { phoneNumber } = res.json();
    expect(phoneNumber).toMatchObject({ id: ids['active_2'], status: 'active', country: 'US', callingEnabled: true, hostedByZernio: true, sipTrunkId: null });
    expect(phoneNumber).not.toHaveProperty('_id');
    // Released numbers can still be read by id.
    expect((await get(`${LIST}/${ids['released']}`)).json().phoneNumber.status).toBe('released');
  });

  it("is 404 for another account's number or an unknown id, and 400 for a malformed one", async () => {
    for (const id of [ids['other_active'], newId()]) {
      const res = await get(`${LIST}/${id}`);
      expect([res.statusCode, res.json()]).toEqual([404, { error: 'Phone number not found', code: 'NOT_FOUND' }]);
    }
    for (const id of ['abc', '6745A1B2C3D4E5F6A7B8C9D1', `${ids['active']}0`]) {
      const res = await get(`${LIST}/${id}`);
      expect([res.statusCode, res.json()]).toEqual([400, { error: expect.any(String), code: 'VALIDATION_FAILED', param: 'phoneNumberId' }]);
    }
  });
});

describe('GET /v1/whatsapp/phone-numbers/countries', () => {
  it('lists the available countries (not captured by /:phoneNumberId)', async () => {
    await ctx.database
      .insertInto('countries')
      .values({ code: 'XX', name: 'Hidden', tier: 1, monthlyCents: 100, needsKyc: false, outboundCallingAvailable: false, defaultNumberType: 'local', available: false })
      .execute();
    const res = await get(`${LIST}/countries`);
    expect(res.statusCode).toBe(200);
    const { countries } = res.json();
    expect(countries.map((c: { code: string }) => c.code).sort()).toEqual(['AU', 'BR', 'CA', 'DE', 'FR', 'GB', 'US']);
    expect(countries.find((c: { code: string }) => c.code === 'DE')).toEqual({ code: 'DE', tier: 3, monthlyCents: 900, needsKyc: true, outboundCallingAvailable: true });
    expect(countries.find((c: { code: string }) => c.code === 'US')).toEqual({ code: 'US', tier: 1, monthlyCents: 300, needsKyc: false, outboundCallingAvailable: true });
  });
});

describe('DELETE /v1/whatsapp/phone-numbers/{phoneNumberId}', () => {
  const del = (id: string, bearer = acme.bearer, requestId?: string) =>
    app.inject({ method: 'DELETE', url: `${LIST}/${id}`, headers: { authorization: bearer, ...(requestId ? { 'x-request-id': requestId } : {}) } });

  it('moves the number to releasing through the lifecycle and answers at once; a repeat answers the same', async () => {
    const id = await seedNumber(ctx.database, { accountId: acme.accountId, profileId: acme.profileId, status: 'active', phoneNumber: '+14155559999' });
    const first = await del(id, acme.bearer, 'release-req-1');
    expect(first.statusCode).toBe(200);
    const expected = { message: expect.any(String), phoneNumber: { id, phoneNumber: '+14155559999', status: 'releasing', releasedAt: null } };
    expect(first.json()).toEqual(expected);

    const number = await numberRow(id);
    expect(number.status).toBe('releasing');
    const history = await ctx.database.selectFrom('numberStatusHistory').selectAll().where('numberId', '=', id).orderBy('id').execute();
    expect(history).toEqual([
      expect.objectContaining({ fromStatus: 'active', toStatus: 'releasing', event: 'release_requested', applied: true, cause: 'release-req-1', actor: 'customer' }),
    ]);
    const outbox = await outboxRows();
    const forNumber = outbox.filter((row) => JSON.stringify(row.payload).includes(id));
    expect(forNumber.map((row) => [row.kind, row.name])).toEqual([
      ['job', 'release-number'],
      ['job', 'sync-subscription-quantity'],
      ['event', 'number.status_changed'],
    ]);

    const again = await del(id, acme.bearer, 'release-req-2');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(expected);
    const outboxAfter = (await outboxRows()).length;
    expect(outboxAfter).toBe(outbox.length);
    expect(await ctx.database.selectFrom('numberStatusHistory').select('id').where('numberId', '=', id).where('applied', '=', false).execute()).toHaveLength(1);
  });

  it('releases a number that never billed without a quantity change', async () => {
    const id = await seedNumber(ctx.database, { accountId: acme.accountId, profileId: acme.profileId, status: 'pending_regulatory' });
    const before = (await outboxRows()).length;
    expect((await del(id)).json().phoneNumber).toMatchObject({ id, status: 'releasing' });
    const rows = (await outboxRows()).slice(before);
    expect(rows.map((row) => row.name)).toEqual(['release-number', 'number.status_changed']);
  });

  it('is 409 NUMBER_RELEASED for a released number', async () => {
    const res = await del(ids['released']);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({ error: expect.any(String), code: 'NUMBER_RELEASED' });
    expect((await numberRow(ids['released'])).status).toBe('released');
  });

  it("is 404 for another account's number (untouched) and 400 for a malformed id", async () => {
    const res = await del(ids['other_active']);
    expect([res.statusCode, res.json()]).toEqual([404, { error: 'Phone number not found', code: 'NOT_FOUND' }]);
    expect((await numberRow(ids['other_active'])).status).toBe('active');
    const malformed = await del('not-an-id');
    expect([malformed.statusCode, malformed.json().param]).toEqual([400, 'phoneNumberId']);
  });

  it('a released-on-request number shows under status=releasing', async () => {
    const id = await seedNumber(ctx.database, { accountId: other.accountId, profileId: other.profileId, status: 'verifying' });
    await del(id, other.bearer);
    expect((await list('?status=releasing', other.bearer)).numbers.map((n) => n._id)).toEqual([id]);
  });
});
