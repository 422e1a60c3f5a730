// What the gateway logs while answering real requests, captured from its pino logger: no secret
// from a query string, no KYC file name, no row values of a database error.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig } from '@numbers/config';
import { CountryRepository, Database } from '@numbers/persistence';
import { PARAMS_PROVIDER_TOKEN } from 'nestjs-pino';
import { seedAccount, startGatewayForTest, type GatewayTestContext, type SeededAccount } from '../testing/gateway-test-app';
import { loggableUrl, loggerOptions } from './logger.options';

jest.setTimeout(60_000);

const lines: string[] = [];
const logged = () => lines.join('');
/** An account id no row has: a foreign key violation names it in pg's `detail`. */
const MISSING_ACCOUNT = '0123456789abcdef0123fade';

let ctx: GatewayTestContext;
let app: NestFastifyApplication;
let account: SeededAccount;

beforeAll(async () => {
  ctx = await startGatewayForTest({
    env: { LOG_LEVEL: 'info' },
    override: (builder) =>
      builder
        .overrideProvider(PARAMS_PROVIDER_TOKEN)
        .useFactory({ factory: (config: AppConfig) => ({ pinoHttp: [loggerOptions(config).pinoHttp, { write: (line: string) => lines.push(line) }] }), inject: [AppConfig] })
        // A query that fails in PostgreSQL with row values in the error.
        .overrideProvider(CountryRepository)
        .useFactory({ factory: (database: Database) => ({ listAvailable: () => database.insertInto('profiles').values({ id: MISSING_ACCOUNT, accountId: MISSING_ACCOUNT, name: 'x' }).execute() }), inject: [Database] }),
  });
  app = ctx.app;
  account = await seedAccount(ctx.database);
});

afterAll(async () => {
  await ctx?.close();
});

describe('the gateway log', () => {
  it("never holds Meta's hub.verify_token: query values are not logged", async () => {
    const token = ctx.config.meta.verifyToken ?? '';
    expect(token).not.toBe('');
    for (const given of [token, 'guessed-verify-token-123']) {
      const res = await app.inject({ method: 'GET', url: `/webhooks/meta?hub.mode=subscribe&hub.verify_token=${given}&hub.challenge=1158201444`, headers: { 'x-request-id': `handshake-${given.length}` } });
      expect(res.statusCode).toBe(given === token ? 200 : 403);
    }
    expect(logged()).toContain('"url":"/webhooks/meta?hub.mode=[redacted]&hub.verify_token=[redacted]&hub.challenge=[redacted]"');
    expect(logged()).toContain(`"id":"handshake-${'guessed-verify-token-123'.length}"`);
    expect(logged()).not.toContain(token);
    expect(logged()).not.toContain('guessed-verify-token-123');
  });

  it("never holds a KYC document's file name", async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/whatsapp/phone-numbers/kyc/upload-document',
      headers: { authorization: account.bearer, 'content-type': 'application/pdf', 'x-filename': encodeURIComponent('Ausweis Ada Lovelace.pdf'), 'x-request-id': 'upload-1' },
      payload: Buffer.from('%PDF-1.4\n%%EOF\n'),
    });
    expect(res.statusCode).toBe(200);
    expect(logged()).toContain('"id":"upload-1"');
    expect(logged()).not.toContain('Lovelace');
    expect(logged()).not.toContain(account.apiKey);
  });

  it("logs a database error without pg's detail and where", async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/whatsapp/phone-numbers/countries', headers: { authorization: account.bearer, 'x-request-id': 'pg-1' } });
    expect(res.statusCode).toBe(500);
    const entry = lines.map((line) => JSON.parse(line) as { reqId?: string; err?: Record<string, unknown> }).find((e) => e.reqId === 'pg-1' && e.err);
    expect(entry?.err).toMatchObject({ code: '23503', constraint: expect.any(String), message: expect.stringContaining('foreign key') });
    expect(entry?.err).not.toHaveProperty('detail');
    expect(logged()).not.toContain(MISSING_ACCOUNT);
  });
});

describe('the request context of a log line', () => {
  it('carries the request id and the number a route is about on every line of the request', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/whatsapp/phone-numbers/0123456789abcdef01234567', headers: { authorization: account.bearer, 'x-request-id': 'number-1' } });
    expect(res.statusCode).toBe(404);
    const ofRequest = lines.map((line) => JSON.parse(line) as { req?: { id?: string }; reqId?: string; numberId?: string }).filter((e) => e.req?.id === 'number-1');
    expect(ofRequest.length).toBeGreaterThan(0);
    for (const entry of ofRequest) expect(entry).toMatchObject({ reqId: 'number-1', numberId: '0123456789abcdef01234567' });
  });
});

describe('loggableUrl', () => {
  it('keeps the path and the names of query parameters, never their values', () => {
    expect(loggableUrl('/v1/x?status=active&token=s3cr3t&flag')).toBe('/v1/x?status=[redacted]&token=[redacted]&flag=[redacted]');
    expect(loggableUrl('/v1/x')).toBe('/v1/x');
    expect(loggableUrl('/v1/x?')).toBe('/v1/x?');
    expect(loggableUrl(undefined)).toBeUndefined();
  });
});
