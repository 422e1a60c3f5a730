import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { generateApiKey } from '@numbers/domain';
import { AccountRepository, ApiKeyRepository, CountryRepository } from '@numbers/persistence';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { seedAccount, startGatewayForTest, type GatewayTestContext, type SeededAccount } from '../testing/gateway-test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const LIST = '/v1/whatsapp/phone-numbers';

let ctx: GatewayTestContext;
let app: NestFastifyApplication;
let account: SeededAccount;
const failingCountries = { listAvailable: jest.fn() };

beforeAll(async () => {
  ctx = await startGatewayForTest({
    override: (builder) => builder.overrideProvider(CountryRepository).useValue(failingCountries),
  });
  app = ctx.app;
  account = await seedAccount(ctx.database);
});

afterAll(async () => {
  await ctx?.close();
});

describe('API keys', () => {
  it('lets a valid key through', async () => {
    const res = await app.inject({ method: 'GET', url: LIST, headers: { authorization: account.bearer } });
    expect(res.statusCode).toBe(200);
  });

  it('answers exactly 401 {"error":"Unauthorized"} for a missing, malformed, unknown or revoked key', async () => {
    const unknown = generateApiKey().key;
    const [, prefix] = account.apiKey.split('_');
    const wrongSecret = `nk_${prefix}_${'A'.repeat(43)}`;
    const revoked = await app.get(ApiKeyRepository).createKey(account.accountId, 'to revoke');
    await app.get(ApiKeyRepository).revokeKey(revoked.prefix);

    const variants: Array<Record<string, string>> = [
      {},
      { authorization: '' },
      { authorization: 'Bearer' },
      { authorization: 'Bearer ' },
      { authorization: account.apiKey },
      { authorization: `Basic ${Buffer.from(`${account.apiKey}:`).toString('base64')}` },
      { authorization: `Bearer ${account.apiKey}x` },
      { authorization: `Bearer ${account.apiKey} extra` },
      { authorization: 'Bearer sk_live_123' },
      { authorization: `Bearer ${unknown}` },
      { authorization: `Bearer ${wrongSecret}` },
      { authorization: `Bearer ${revoked.apiKey}` },
    ];
    for (const headers of variants) {
      const res = await app.inject({ method: 'GET', url: LIST, headers });
      expect({ headers, status: res.statusCode, body: res.body }).toEqual({ headers, status: 401, body: '{"error":"Unauthorized"}' });
      expect(res.headers['x-request-id']).toMatch(UUID);
    }
    // Every /v1 route, whatever the verb.
    for (const [method, url] of [
      ['GET', `${LIST}/countries`],
      ['GET', `${LIST}/6745a1b2c3d4e5f6a7b8c9d1`],
      ['DELETE', `${LIST}/6745a1b2c3d4e5f6a7b8c9d1`],
    ] as const) {
      const res = await app.inject({ method, url });
      expect([method, url, res.statusCode, res.json()]).toEqual([method, url, 401, { error: 'Unauthorized' }]);
    }
  });

  it("answers 401 {\"error\":\"Unauthorized\"} for every key of a disabled account (account:disable), until it is enabled", async () => {
    const other = await seedAccount(ctx.database, 'Disabled Co');
    const accounts = new AccountRepository(ctx.database);
    await accounts.setDisabled(other.accountId, true);
    const refused = await app.inject({ method: 'GET', url: LIST, headers: { authorization: other.bearer } });
    expect([refused.statusCode, refused.body]).toEqual([401, '{"error":"Unauthorized"}']);
    await accounts.setDisabled(other.accountId, false);
    const served = await app.inject({ method: 'GET', url: LIST, headers: { authorization: other.bearer } });
    expect(served.statusCode).toBe(200);
  });

  it('stamps last_used_at on use', async () => {
    const key = await ctx.database.selectFrom('apiKeys').select('lastUsedAt').where('id', '=', account.apiKeyId).executeTakeFirstOrThrow();
    expect(key.lastUsedAt).toBeInstanceOf(Date);
  });
});

describe('X-Request-Id', () => {
  it('echoes a sane incoming id on success and on errors', async () => {
    const ok = await app.inject({ method: 'GET', url: LIST, headers: { authorization: account.bearer, 'x-request-id': 'trace-abc.123' } });
    expect(ok.headers['x-request-id']).toBe('trace-abc.123');
    const unauthorized = await app.inject({ method: 'GET', url: LIST, headers: { 'x-request-id': 'trace-401' } });
    expect(unauthorized.headers['x-request-id']).toBe('trace-401');
    const invalid = await app.inject({ method: 'GET', url: `${LIST}?status=nope`, headers: { authorization: account.bearer, 'x-request-id': 'trace-400' } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.headers['x-request-id']).toBe('trace-400');
  });

  it('replaces an unsafe incoming id with a UUID and gives each request its own', async () => {
    const res = await app.inject({ method: 'GET', url: LIST, headers: { authorization: account.bearer, 'x-request-id': 'bad id\twith tab' } });
    expect(res.headers['x-request-id']).toMatch(UUID);
    const again = await app.inject({ method: 'GET', url: LIST, headers: { authorization: account.bearer } });
    expect(again.headers['x-request-id']).toMatch(UUID);
    expect(again.headers['x-request-id']).not.toBe(res.headers['x-request-id']);
  });

  it('is on the 404 of an unknown route, which has the error shape', async () => {
    for (const url of ['/v1/nope', '/nope', `${LIST}/6745a1b2c3d4e5f6a7b8c9d1/unknown`]) {
      const res = await app.inject({ method: 'GET', url, headers: { authorization: account.bearer, 'x-request-id': 'trace-404' } });
      expect([url, res.statusCode, res.json()]).toEqual([url, 404, { error: 'Not found', code: 'NOT_FOUND' }]);
      expect(res.headers['x-request-id']).toBe('trace-404');
    }
  });
});

describe('errors raised by Fastify itself', () => {
  it('a body that is not JSON is a 400 in the API shape', async () => {
    const res = await app.inject({
      method: 'DELETE',
      url: `${LIST}/6745a1b2c3d4e5f6a7b8c9d1`,
      headers: { authorization: account.bearer, 'content-type': 'application/json', 'x-request-id': 'trace-json' },
      payload: '{not json',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: expect.any(String), code: 'VALIDATION_FAILED' });
    expect(res.headers['x-request-id']).toBe('trace-json');
  });
});

describe('request body limits', () => {
  const VALIDATE = '/v1/whatsapp/phone-numbers/kyc/validate-address';
  const TOO_LARGE = { error: 'Request body too large', code: 'PAYLOAD_TOO_LARGE' };
  const jsonOf = (bytes: number) => JSON.stringify({ country: 'DE', street_address: 'x'.repeat(bytes) });
  const post = (url: string, payload: string | Buffer, headers: Record<string, string>) =>
    app.inject({ method: 'POST', url, headers: { 'x-request-id': 'trace-limit', ...headers }, payload });

  it('a 2 MB body to a route that is not the upload is 413 in the API shape, with a key or without', async () => {
    for (const headers of [{ authorization: account.bearer }, {}] as Array<Record<string, string>>) {
      for (const contentType of ['application/json', 'application/pdf']) {
        const res = await post(VALIDATE, contentType === 'application/json' ? jsonOf(2_000_000) : Buffer.alloc(2_000_000, 0x25), { ...headers, 'content-type': contentType });
        expect({ keyed: 'authorization' in headers, contentType, status: res.statusCode, body: res.json() }).toEqual({ keyed: 'authorization' in headers, contentType, status: 413, body: TOO_LARGE });
        expect(res.headers['x-request-id']).toBe('trace-limit');
      }
    }
  });

  it('reads more than 16 KB on a /v1 route only once the key is known', async () => {
    const keyed = await post(VALIDATE, jsonOf(100_000), { authorization: account.bearer, 'content-type': 'application/json' });
    expect(keyed.statusCode).toBe(400);
    expect(keyed.json()).toMatchObject({ code: 'VALIDATION_FAILED', param: 'street_address' });
    for (const authorization of [undefined, `Bearer ${generateApiKey().key}`]) {
      const res = await post(VALIDATE, jsonOf(100_000), { ...(authorization ? { authorization } : {}), 'content-type': 'application/json' });
      expect([res.statusCode, res.json()]).toEqual([413, TOO_LARGE]);
    }
    // A small body without a key is read and answered 401 as ever.
    expect((await post(VALIDATE, jsonOf(100), { 'content-type': 'application/json' })).json()).toEqual({ error: 'Unauthorized' });
  });

  it("a provider's webhook may be up to 256 KB; public routes take 16 KB", async () => {
    const event = (bytes: number) => JSON.stringify({ id: 'evt_1', type: 'invoice.paid', padding: 'x'.repeat(bytes) });
    expect((await post('/webhooks/stripe', event(200_000), { 'content-type': 'application/json' })).json()).toMatchObject({ code: 'INVALID_SIGNATURE' });
    expect((await post('/webhooks/stripe', event(300_000), { 'content-type': 'application/json' })).json()).toEqual(TOO_LARGE);
    for (const url of ['/health', '/checkout/success', '/nope']) {
      const res = await post(url, event(20_000), { 'content-type': 'application/json' });
      expect([url, res.statusCode, res.json()]).toEqual([url, 413, TOO_LARGE]);
    }
  });
});

describe('unexpected failures', () => {
  it('answer 500 INTERNAL with the request id, and log the stack with it, never returning it', async () => {
    failingCountries.listAvailable.mockRejectedValueOnce(new Error('connection to 10.0.0.5 refused (password=hunter2)'));
    const logged = jest.spyOn(PinoNestLogger.prototype, 'error');
    const res = await app.inject({ method: 'GET', url: `${LIST}/countries`, headers: { authorization: account.bearer, 'x-request-id': 'trace-500' } });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: 'Internal server error', code: 'INTERNAL' });
    expect(res.body).not.toContain('hunter2');
    expect(res.headers['x-request-id']).toBe('trace-500');
    const [entry] = logged.mock.calls.find(([first]) => (first as { reqId?: string }).reqId === 'trace-500') ?? [];
    expect(entry).toMatchObject({ reqId: 'trace-500', err: expect.objectContaining({ stack: expect.stringContaining('hunter2') }) });
    logged.mockRestore();
  });
});

describe('public routes', () => {
  it('/health reports PostgreSQL and Redis without a key', async () => {
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, redis: { status: 'up' } } });
    expect(res.headers['x-request-id']).toMatch(UUID);
  });

  it('/health is 503 when Redis does not answer', async () => {
    const broken = await startGatewayForTest({ db: ctx.db, env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    try {
      const res = await broken.app.inject({ method: 'GET', url: '/health' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ status: 'error', info: { database: { status: 'up' } }, error: { redis: { status: 'down', message: 'Redis did not answer' } } });
      expect(res.body).not.toContain('127.0.0.1');
    } finally {
      await broken.close();
    }
  });

  it('serves the OpenAPI document and Swagger UI without a key', async () => {
    const doc = await app.inject({ method: 'GET', url: '/v1/openapi.json' });
    expect(doc.statusCode).toBe(200);
    const spec = doc.json();
    expect(spec.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/v1/whatsapp/phone-numbers', '/v1/whatsapp/phone-numbers/countries', '/v1/whatsapp/phone-numbers/{phoneNumberId}', '/health']),
    );
    const list = spec.paths['/v1/whatsapp/phone-numbers'].get;
    expect(list.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['profileId', 'status']);
    expect(Object.keys(list.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '429']));
    expect(Object.keys(spec.paths['/v1/whatsapp/phone-numbers/{phoneNumberId}'].delete.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '404', '409']),
    );
    // The body of number events is documented for customers' receivers.
    expect(spec.components.schemas.WebhookPayloadPhoneNumber.properties).toMatchObject({ event: { enum: expect.arrayContaining(['whatsapp.number.activated']) }, timestamp: { format: 'date-time' } });
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/v1/webhooks/settings', '/v1/webhooks/test', '/v1/webhooks/logs', '/v1/webhooks/logs/redeliver']));
    const ui = await app.inject({ method: 'GET', url: '/docs' });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toContain('text/html');
    const asset = await app.inject({ method: 'GET', url: '/docs/swagger-ui-bundle.js' });
    expect(asset.statusCode).toBe(200);
  });
});
