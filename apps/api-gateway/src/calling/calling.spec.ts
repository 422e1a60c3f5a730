// WhatsApp calling on the gateway: the real AppModule on a database of its own. The gateway writes
// wishes, calls and prompts with their jobs (the calling worker does the provider side), so no
// provider is needed here; the jobs are read from the outbox.
import { setTimeout as delay } from 'node:timers/promises';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { newId, type NumberStatus } from '@numbers/domain';
import { closeRedisClient, createRedisClient } from '@numbers/messaging';
import { Queue } from 'bullmq';
import { Database, SipCredentialSealer, type Call, type CallPermission, type NewPhoneNumber } from '@numbers/persistence';
import { seedAccount, seedNumber, startGatewayForTest, type GatewayTestContext, type SeededAccount } from '../testing/gateway-test-app';
import { DIAL_WAIT_READ_MS } from './call-admission';

jest.setTimeout(60_000);

let ctx: GatewayTestContext;
let app: NestFastifyApplication;
let db: Database;
let acme: SeededAccount;
let other: SeededAccount;
let consumerSeq = 0;

const HOUR = 3600_000;

beforeAll(async () => {
  // As in production: no forwarding to loopback (env/local.env allows it for development).
  ctx = await startGatewayForTest({ env: { CALL_FORWARD_ALLOW_LOOPBACK: 'false' } });
  app = ctx.app;
  db = app.get(Database);
  acme = await seedAccount(db, 'Acme', 'scale');
  other = await seedAccount(db, 'Other', 'scale');
});

afterAll(async () => {
  await ctx?.close();
});

async function send(account: SeededAccount, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}) {
  const res = await app.inject({ method, url, headers: { authorization: account.bearer, ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: res.statusCode, body: res.json(), headers: res.headers };
}

function number(account: SeededAccount, status: NumberStatus = 'active', data: Omit<Partial<NewPhoneNumber>, 'createdAt'> = {}) {
  return seedNumber(db, { accountId: account.accountId, profileId: account.profileId, status, metaPhoneNumberId: String(Date.now()), ...data });
}

/** A number whose calling the worker has enabled. */
const callingNumber = (account: SeededAccount = acme, status: NumberStatus = 'active') =>
  number(account, status, { callingEnabled: true, callingStatus: 'enabled', sipUsername: '14155550000', sipPasswordSealed: 'sealed' });

const callsOf = (numberId: string) => db.selectFrom('calls').select('id').where('numberId', '=', numberId).execute();

const nextConsumer = () => `+4477009${String(++consumerSeq).padStart(5, '0')}`;

async function consumerWrote(numberId: string, consumer: string, at = new Date(), patch: Partial<Pick<CallPermission, 'status' | 'expiresAt'>> = {}) {
  await db.insertInto('callPermissions').values({ accountId: acme.accountId, numberId, consumer, status: 'no_permission', windowOpenedAt: at, ...patch }).execute();
}

const jobsFor = async (name: string, key: string, value: string) =>
  (await db.selectFrom('outbox').select('payload').where('kind', '=', 'job').where('name', '=', name).execute()).filter((row) => (row.payload as Record<string, string>)[key] === value);

describe('calling settings', () => {
  it('enables calling on an active number at once (enabling), with its job; the legacy path is the same', async () => {
    const id = await number(acme);
    const res = await send(acme, 'POST', `/v1/phone-numbers/${id}/whatsapp/calling`, { accountId: id, forwardTo: 'tel:+14155550199', recordingEnabled: true });
    expect(res).toMatchObject({
      status: 200,
      body: { success: true, callingEnabled: true, callingStatus: 'enabling', sipHostname: 'sip.telnyx.com', forwardTo: 'tel:+14155550199', callerIdMode: 'business' },
    });
    expect(await jobsFor('sync-whatsapp-calling', 'numberId', id)).toHaveLength(1);

    const legacy = await number(acme);
    const viaLegacy = await send(acme, 'POST', `/v1/whatsapp/phone-numbers/${legacy}/calling`, { accountId: legacy, forwardTo: 'sip:agent@pbx.example.com' });
    expect(viaLegacy).toMatchObject({ status: 200, body: { callingStatus: 'enabling', forwardTo: 'sip:agent@pbx.example.com' } });
  });

  it('reads the settings without ever returning a secret; PATCH changes them; DELETE turns calling off with its job', async () => {
    const id = await number(acme, 'active', { phoneNumber: '+14155550123' });
    await send(acme, 'POST', `/v1/phone-numbers/${id}/whatsapp/calling`, { forwardTo: 'sip:agent@pbx.example.com', sipAuthUsername: 'agent', sipAuthPassword: 'hunter2-forward' });
    // What the worker leaves: Meta's credentials, sealed.
    const sealer = app.get(SipCredentialSealer);
    await db.updateTable('phoneNumbers').set({ callingStatus: 'enabled', sipUsername: '14155550123', sipPasswordSealed: sealer.seal('meta-secret-password', id) }).where('id', '=', id).execute();
    const stored = await db.selectFrom('phoneNumbers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(sealer.open(stored.forwardSipPasswordSealed ?? '', id)).toBe('hunter2-forward');

    const read = await send(acme, 'GET', `/v1/phone-numbers/${id}/whatsapp/calling`);
    expect(read).toEqual({
      status: 200,
      headers: expect.anything(),
      body: {
        phoneNumber: '+14155550123',
        callingEnabled: true,
        callingStatus: 'enabled',
        callingStatusDetail: null,
        callDeepLink: 'https://wa.me/call/14155550123',
        forwardTo: 'sip:agent@pbx.example.com',
        recordingEnabled: false,
        sipAuthUsername: 'agent',
        sipAuthPasswordConfigured: true,
        callIconCountries: null,
        outboundDisabled: false,
        callerIdMode: 'business',
        callerIdVerified: true,
        maxCallDurationSeconds: null,
        forwardCallerId: 'business',
      },
    });
    const legacy = await send(acme, 'GET', `/v1/whatsapp/calling?accountId=${id}`);
    expect(legacy.body).toEqual({ phoneNumberDocId: id, ...read.body });
    for (const text of [JSON.stringify(read.body), JSON.stringify(legacy.body)]) {
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('meta-secret');
      expect(text).not.toContain(stored.forwardSipPasswordSealed);
    }

    const patched = await send(acme, 'PATCH', `/v1/phone-numbers/${id}/whatsapp/calling`, { recordingEnabled: true, callIconCountries: ['gb', 'US'], sipAuthPassword: null });
    expect(patched).toMatchObject({ status: 200, body: { success: true, recordingEnabled: true, callIconCountries: ['GB', 'US'], sipAuthPasswordConfigured: false } });

    const off = await send(acme, 'DELETE', `/v1/phone-numbers/${id}/whatsapp/calling?accountId=${id}`);
    expect(off).toMatchObject({ status: 200, body: { success: true, callingEnabled: false, callingStatus: 'disabling' } });
    expect(await jobsFor('sync-whatsapp-calling', 'numberId', id)).toHaveLength(2);
    expect(await send(acme, 'PATCH', `/v1/whatsapp/phone-numbers/${id}/calling`, { recordingEnabled: false })).toMatchObject({ status: 422, body: { code: 'CALLING_NOT_ENABLED' } });
  });

  it('refuses a number that is not active (409), another account\'s (404), and bad fields (400 naming the param)', async () => {
    const suspended = await number(acme, 'suspended');
    expect(await send(acme, 'POST', `/v1/phone-numbers/${suspended}/whatsapp/calling`, { forwardTo: 'tel:+14155550199' })).toMatchObject({
      status: 409,
      body: { code: 'NUMBER_NOT_ACTIVE' },
    });
    const theirs = await number(other);
    for (const [method, url, body] of [
      ['GET', `/v1/phone-numbers/${theirs}/whatsapp/calling`, undefined],
      ['POST', `/v1/phone-numbers/${theirs}/whatsapp/calling`, { forwardTo: 'tel:+14155550199' }],
      ['DELETE', `/v1/whatsapp/phone-numbers/${theirs}/calling`, undefined],
      ['GET', `/v1/whatsapp/calling?accountId=${theirs}`, undefined],
      ['GET', `/v1/phone-numbers/${newId()}/whatsapp/calling`, undefined],
    ] as const) {
      expect({ url, res: await send(acme, method, url, body) }).toMatchObject({ url, res: { status: 404, body: { code: 'NOT_FOUND' } } });
    }
    const id = await number(acme);
    const cases: Array<[unknown, string]> = [
      [{}, 'forwardTo'],
      [{ forwardTo: '+14155550199' }, 'forwardTo'],
      [{ forwardTo: 'sip:agent@10.0.0.5' }, 'forwardTo'],
      [{ forwardTo: 'sips:agent@[::1]:5061;transport=tls' }, 'forwardTo'],
      [{ forwardTo: 'wss://169.254.169.254/latest' }, 'forwardTo'],
      [{ forwardTo: 'tel:+14155550199', recordingEnabled: 'yes' }, 'recordingEnabled'],
      [{ forwardTo: 'tel:+14155550199', maxCallDurationSeconds: 5 }, 'maxCallDurationSeconds'],
      [{ forwardTo: 'tel:+14155550199', forwardCallerId: 'nobody' }, 'forwardCallerId'],
      [{ forwardTo: 'tel:+14155550199', accountId: newId() }, 'accountId'],
    ];
    for (const [body, param] of cases) {
      expect({ body, res: await send(acme, 'POST', `/v1/phone-numbers/${id}/whatsapp/calling`, body) }).toMatchObject({
        body,
        res: { status: 400, body: { code: 'VALIDATION_FAILED', param } },
      });
    }
    expect(await send(acme, 'POST', `/v1/phone-numbers/${id}/whatsapp/calling`, { forwardTo: 'sip:agent@192.168.1.20' })).toMatchObject({
      status: 400,
      body: { error: 'forwardTo points to 192.168.1.20 (private): calls are forwarded to public addresses only', param: 'forwardTo' },
    });
    expect(await jobsFor('sync-whatsapp-calling', 'numberId', id)).toEqual([]);
    const enabled = await callingNumber();
    expect(await send(acme, 'PATCH', `/v1/phone-numbers/${enabled}/whatsapp/calling`, { forwardTo: 'ws://127.0.0.1:8080/agent' })).toMatchObject({ status: 400, body: { param: 'forwardTo' } });
    expect(await send(acme, 'GET', '/v1/phone-numbers/nope/whatsapp/calling')).toMatchObject({ status: 400, body: { param: 'id' } });
  });
});

describe('POST /v1/whatsapp/calls', () => {
  it('places a call the consumer allowed: dialing at once, in the SDK shape, with its place-call job', async () => {
    const id = await callingNumber();
    const to = nextConsumer();
    await consumerWrote(id, to, new Date(), { status: 'temporary', expiresAt: new Date(Date.now() + 24 * HOUR) });
    const res = await send(acme, 'POST', '/v1/whatsapp/calls', { accountId: id, to: to.slice(1), forwardTo: 'tel:+14155550100' });
    expect(res).toMatchObject({
      status: 200,
      body: { success: true, callId: expect.any(String), telnyxCallControlId: null, status: 'dialing', direction: 'outbound', to, forwardTo: 'tel:+14155550100', recordingEnabled: false },
    });
    expect(await db.selectFrom('calls').selectAll().where('id', '=', res.body.callId).executeTakeFirstOrThrow()).toMatchObject({ status: 'dialing', numberId: id, to, accountId: acme.accountId });
    expect(await jobsFor('place-call', 'callId', res.body.callId)).toHaveLength(1);
  });

  it('replays a retried POST under its Idempotency-Key (one call); another body under it is 422', async () => {
    const id = await callingNumber();
    const to = nextConsumer();
    await consumerWrote(id, to, new Date(), { status: 'permanent' });
    const headers = { 'idempotency-key': `call-${to}` };
    const first = await send(acme, 'POST', '/v1/whatsapp/calls', { accountId: id, to }, headers);
    const again = await send(acme, 'POST', '/v1/whatsapp/calls', { to, accountId: id }, headers);
    expect(again).toMatchObject({ status: 200, body: first.body, headers: { 'idempotent-replayed': 'true' } });
    expect(await callsOf(id)).toHaveLength(1);
    expect(await send(acme, 'POST', '/v1/whatsapp/calls', { accountId: id, to: nextConsumer() }, headers)).toMatchObject({ status: 422, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });
  });

  it('refuses a call without permission (422), from a number that cannot call (409/422), and others\' numbers (404)', async () => {
    const id = await callingNumber();
    const to = nextConsumer();
    expect(await send(acme, 'POST', '/v1/whatsapp/calls', { accountId: id, to })).toMatchObject({
      status: 422,
      body: { code: 'CALL_PERMISSION_REQUIRED', param: 'to', details: { permission: 'no_permission' } },
    });
    await consumerWrote(id, to, new Date(), { status: 'temporary', expiresAt: new Date(Date.now() - 1000) });
    expect(await send(acme, 'POST', '/v1/whatsapp/calls', { accountId: id, to })).toMatchObject({ status: 422, body: { code: 'CALL_PERMISSION_REQUIRED' } });
    const refused = nextConsumer();
    await consumerWrote(id, refused, new Date(), { status: 'refused' });
    expect(await send(acme, 'POST', '/v1/whatsapp/calls', { accountId: id, to: refused })).toMatchObject({ status: 422, body: { code: 'CALL_PERMISSION_REQUIRED' } });

    for (const status of ['suspended', 'released'] as const) {
      const cannot = await callingNumber(acme, status);
      expect(await send(acme, 'POST', '/v1/whatsapp/calls', { accountId: cannot, to })).toMatchObject({ status: 409, body: { code: 'NUMBER_NOT_ACTIVE' } });
    }
    expect(await send(acme, 'POST', '/v1/whatsapp/calls', { accountId: await number(acme), to })).toMatchObject({ status: 422, body: { code: 'CALLING_NOT_ENABLED' } });
    const enabling = await number(acme, 'active', { callingEnabled: true, callingStatus: 'enabling' });
    expect(await send(acme, 'POST', '/v1/whatsapp/calls', { accountId: enabling, to })).toMatchObject({ status: 409, body: { code: 'CALLING_NOT_READY' } });
    expect(await send(acme, 'POST', '/v1/whatsapp/calls', { accountId: await callingNumber(other), to })).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND', param: 'accountId' },
    });
    expect(await callsOf(id)).toHaveLength(0);
  });

  it('refuses calls with 503 CALLS_BUSY and Retry-After, writing nothing, while the calling queue waits past the bound; takes them again once it caught up', async () => {
    const id = await callingNumber();
    const to = nextConsumer();
    await consumerWrote(id, to, new Date(), { status: 'permanent' });
    const redis = createRedisClient(ctx.config.redis.target, 'producer');
    const calling = new Queue('calling', { connection: redis, prefix: ctx.config.redis.prefix });
    const readAgain = () => delay(2 * DIAL_WAIT_READ_MS + 50);
    const dialJobs = async () => (await db.selectFrom('outbox').select('id').where('name', '=', 'place-call').execute()).length;
    const dialJobsBefore = await dialJobs();
    try {
      // A job nobody has taken for 5 s (the bound is CALL_ADMISSION_MAX_WAIT_MS, 1 s by default).
      const stuck = await calling.add('place-call', { callId: 'waiting' }, { timestamp: Date.now() - 5_000 });
      await readAgain();
      const refused = await send(acme, 'POST', '/v1/whatsapp/calls', { accountId: id, to }, { 'idempotency-key': `busy-${to}` });
      expect(refused).toMatchObject({
        status: 503,
        body: { code: 'CALLS_BUSY', error: expect.stringContaining('waiting'), details: { maxWaitMs: 1_000 } },
        headers: { 'retry-after': '1' },
      });
      expect(refused.body.details.waitMs).toBeGreaterThanOrEqual(5_000);
      expect(await callsOf(id)).toHaveLength(0);
      expect(await dialJobs()).toBe(dialJobsBefore);

      await stuck.remove();
      // A follow-up (a call webhook) waits behind the dials, prioritized: its wait counts too.
      const behind = await calling.add('process-telnyx-call-event', { webhookEventId: 'waiting' }, { priority: 1, timestamp: Date.now() - 5_000 });
      await readAgain();
      expect(await send(acme, 'POST', '/v1/whatsapp/calls', { accountId: id, to })).toMatchObject({ status: 503, body: { code: 'CALLS_BUSY' } });
      expect(await callsOf(id)).toHaveLength(0);

      await behind.remove();
      await readAgain();
      // The same Idempotency-Key: a 503 is not remembered, so the retry places the call.
      const placed = await send(acme, 'POST', '/v1/whatsapp/calls', { accountId: id, to }, { 'idempotency-key': `busy-${to}` });
      expect(placed).toMatchObject({ status: 200, body: { status: 'dialing' } });
      expect(await callsOf(id)).toHaveLength(1);
      expect(await jobsFor('place-call', 'callId', placed.body.callId)).toHaveLength(1);
    } finally {
      await calling.close();
      await closeRedisClient(redis);
    }
  });

  it('answers 400 naming the param', async () => {
    const id = await callingNumber();
    const cases: Array<[unknown, string]> = [
      [undefined, 'accountId'],
      [{ to: '+447700900123' }, 'accountId'],
      [{ accountId: 'nope', to: '+447700900123' }, 'accountId'],
      [{ accountId: id }, 'to'],
      [{ accountId: id, to: '0800 123' }, 'to'],
      [{ accountId: id, to: '+447700900123', action: 'start_call' }, 'action'],
      [{ accountId: id, to: '+447700900123', action: 'send_call_permission_request', bodyText: 'x'.repeat(1025) }, 'bodyText'],
      [{ accountId: id, to: '+447700900123', bodyText: 'hello' }, 'bodyText'],
      [{ accountId: id, to: '+447700900123', forwardTo: 'somewhere' }, 'forwardTo'],
      [{ accountId: id, to: '+447700900123', forwardTo: 'sip:agent@172.16.0.9' }, 'forwardTo'],
      [{ accountId: id, to: '+447700900123', recordOverride: 'no' }, 'recordOverride'],
    ];
    for (const [body, param] of cases) {
      expect({ body, res: await send(acme, 'POST', '/v1/whatsapp/calls', body) }).toMatchObject({ body, res: { status: 400, body: { code: 'VALIDATION_FAILED', param } } });
    }
  });
});

describe('the permission prompt', () => {
  const prompt = (numberId: string, to: string, bodyText?: string) =>
    send(acme, 'POST', '/v1/whatsapp/calls', { accountId: numberId, to, action: 'send_call_permission_request', ...(bodyText ? { bodyText } : {}) });

  it('needs an open customer-service window (422), then is queued once per 24 h (429 with retryAt)', async () => {
    const id = await callingNumber();
    const to = nextConsumer();
    expect(await prompt(id, to)).toMatchObject({ status: 422, body: { code: 'CUSTOMER_SERVICE_WINDOW_CLOSED', param: 'to' } });
    await consumerWrote(id, to, new Date(Date.now() - 25 * HOUR));
    expect(await prompt(id, to)).toMatchObject({ status: 422, body: { code: 'CUSTOMER_SERVICE_WINDOW_CLOSED' } });
    await db.updateTable('callPermissions').set({ windowOpenedAt: new Date() }).where('numberId', '=', id).where('consumer', '=', to).execute();

    const first = await prompt(id, to, 'May we call you about your order?');
    expect(first).toMatchObject({ status: 200, body: { success: true, action: 'send_call_permission_request', promptId: expect.any(String), status: 'queued', to } });
    expect(await db.selectFrom('callPermissionPrompts').selectAll().where('id', '=', first.body.promptId).executeTakeFirstOrThrow()).toMatchObject({ bodyText: 'May we call you about your order?', status: 'queued' });
    expect(await jobsFor('send-call-permission-request', 'promptId', first.body.promptId)).toHaveLength(1);

    const second = await prompt(id, to);
    expect(second).toMatchObject({ status: 429, body: { code: 'PERMISSION_REQUEST_DAILY_LIMIT', details: { retryAt: expect.any(String) } } });
    expect(Date.parse(second.body.details.retryAt) - Date.now()).toBeGreaterThan(23 * HOUR);
  });

  it('allows two per 7 days, and a connected call resets both limits', async () => {
    const id = await callingNumber();
    const to = nextConsumer();
    await consumerWrote(id, to);
    for (const daysAgo of [6, 2]) {
      await db.insertInto('callPermissionPrompts').values({ id: newId(), numberId: id, consumer: to, status: 'sent', sentAt: new Date(Date.now() - daysAgo * 24 * HOUR) }).execute();
    }
    expect(await prompt(id, to)).toMatchObject({ status: 429, body: { code: 'PERMISSION_REQUEST_WEEKLY_LIMIT' } });
    // A prompt Meta refused does not count.
    await db
      .updateTable('callPermissionPrompts')
      .set({ status: 'failed' })
      .where('numberId', '=', id)
      .where('consumer', '=', to)
      .where('sentAt', '<', new Date(Date.now() - 5 * 24 * HOUR))
      .execute();
    expect(await prompt(id, to)).toMatchObject({ status: 200 });
    expect(await prompt(id, to)).toMatchObject({ status: 429, body: { code: 'PERMISSION_REQUEST_DAILY_LIMIT' } });
    await db.updateTable('callPermissions').set({ lastConnectedCallAt: new Date() }).where('numberId', '=', id).where('consumer', '=', to).execute();
    expect(await prompt(id, to)).toMatchObject({ status: 200 });
  });

  it('lets one of many concurrent prompts through (row lock), on any replica', async () => {
    const id = await callingNumber();
    const to = nextConsumer();
    await consumerWrote(id, to);
    const replica = await ctx.startReplica();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (i % 2 === 0 ? app : replica).inject({
          method: 'POST',
          url: '/v1/whatsapp/calls',
          headers: { authorization: acme.bearer },
          payload: { accountId: id, to, action: 'send_call_permission_request' },
        }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, ...Array(11).fill(429)]);
    expect(await db.selectFrom('callPermissionPrompts').select('id').where('numberId', '=', id).where('consumer', '=', to).execute()).toHaveLength(1);
  });
});

describe('GET /v1/whatsapp/call-permissions', () => {
  it("answers Meta's shape from what we know of the consumer", async () => {
    const id = await callingNumber();
    const to = nextConsumer();
    expect(await send(acme, 'GET', `/v1/whatsapp/call-permissions?accountId=${id}&to=${encodeURIComponent(to)}`)).toMatchObject({
      status: 200,
      body: {
        permission: { status: 'no_permission' },
        actions: [
          { action_name: 'send_call_permission_request', can_perform_action: false },
          { action_name: 'start_call', can_perform_action: false },
        ],
      },
    });
    const expiresAt = new Date(Date.now() + 3 * 24 * HOUR);
    await consumerWrote(id, to, new Date(), { status: 'temporary', expiresAt });
    expect((await send(acme, 'GET', `/v1/whatsapp/call-permissions?accountId=${id}&to=${to.slice(1)}`)).body).toEqual({
      permission: { status: 'temporary', expiration_time: Math.floor(expiresAt.getTime() / 1000) },
      actions: [
        { action_name: 'send_call_permission_request', can_perform_action: true },
        { action_name: 'start_call', can_perform_action: true },
      ],
    });
    expect(await send(acme, 'GET', `/v1/whatsapp/call-permissions?accountId=${id}`)).toMatchObject({ status: 400, body: { param: 'to' } });
    expect(await send(other, 'GET', `/v1/whatsapp/call-permissions?accountId=${id}&to=${to.slice(1)}`)).toMatchObject({ status: 404 });
  });
});

describe('the call log', () => {
  let numberId: string;
  const base = Date.parse('2026-01-05T10:00:00.000Z');

  async function call(at: number, patch: Partial<Pick<Call, 'status' | 'direction' | 'durationSeconds' | 'answeredAt' | 'endedAt' | 'hangupCause'>> = {}): Promise<string> {
    const id = newId(new Date(at));
    await db
      .insertInto('calls')
      .values({ id, accountId: acme.accountId, numberId, direction: 'outbound', status: 'ended', to: '+447700900999', fromNumber: '+14155550000', createdAt: new Date(at), ...patch })
      .execute();
    return id;
  }

  const list = async (query: string) => send(acme, 'GET', `/v1/whatsapp/calls?accountId=${numberId}${query}`);

  beforeAll(async () => {
    numberId = await callingNumber();
  });

  it('pages newest first by (created_at, id); a call inserted while paging shifts nothing; the filters apply', async () => {
    // Three calls share one millisecond: the id breaks the tie.
    const ids = [
      await call(base, { durationSeconds: 42, answeredAt: new Date(base + 3000), endedAt: new Date(base + 45_000), hangupCause: 'normal_clearing' }),
      await call(base + 1000),
      await call(base + 1000),
      await call(base + 1000),
      await call(base + 2000, { status: 'failed', hangupCause: 'user_busy' }),
      await call(base + 3000, { status: 'answered' }),
      await call(base + 4000, { direction: 'inbound' }),
    ];
    const order = (await db.selectFrom('calls').select('id').where('numberId', '=', numberId).orderBy('createdAt', 'desc').orderBy('id', 'desc').execute()).map((c) => c.id);
    expect([...order].sort()).toEqual([...ids].sort());

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(`&limit=3${cursor ? `&before=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.calls.map((c: { _id: string }) => c._id));
      cursor = page.body.nextCursor;
      // Meanwhile a new call: newer than every page, so no page shows it and none repeats.
      if (pages++ === 0) await call(Date.now());
    } while (cursor);
    expect(seen).toEqual(order);

    const first = await list('&limit=50');
    const oldest = first.body.calls.find((c: { _id: string }) => c._id === ids[0]);
    expect(oldest).toEqual({
      _id: ids[0],
      direction: 'outbound',
      from: '+14155550000',
      to: '+447700900999',
      status: 'ended',
      startedAt: new Date(base).toISOString(),
      answeredAt: new Date(base + 3000).toISOString(),
      endedAt: new Date(base + 45_000).toISOString(),
      durationSeconds: 42,
      endReason: 'hangup',
      hangupCause: 'normal_clearing',
      telnyxCallControlId: null,
      forwardTo: null,
      recordingEnabled: false,
      recordingUrl: null,
      metaCallId: null,
    });
    expect((await list('&status=failed')).body.calls.map((c: { _id: string; endReason: string }) => [c._id, c.endReason])).toEqual([[ids[4], 'rejected']]);
    expect((await list('&direction=inbound')).body.calls.map((c: { _id: string }) => c._id)).toEqual([ids[6]]);
    const window = await list(`&since=${new Date(base + 1000).toISOString()}&until=${new Date(base + 3000).toISOString()}`);
    expect(window.body.calls.map((c: { _id: string }) => c._id).sort()).toEqual([ids[1], ids[2], ids[3], ids[4]].sort());
    // A bare instant as `before`: strictly before it.
    expect((await list(`&before=${new Date(base + 1000).toISOString()}`)).body).toEqual({ calls: [expect.objectContaining({ _id: ids[0] })], nextCursor: null });
  });

  it('reads one call; another account\'s call or number is 404; bad filters are 400 naming the param', async () => {
    const id = await call(base - 10_000);
    expect(await send(acme, 'GET', `/v1/whatsapp/calls/${id}?accountId=${numberId}`)).toMatchObject({ status: 200, body: { call: { id, _id: id, status: 'ended' } } });
    expect(await send(other, 'GET', `/v1/whatsapp/calls/${id}?accountId=${numberId}`)).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    expect(await send(acme, 'GET', `/v1/whatsapp/calls/${id}?accountId=${await callingNumber()}`)).toMatchObject({ status: 404 });
    expect(await send(other, 'GET', `/v1/whatsapp/calls?accountId=${numberId}`)).toMatchObject({ status: 404, body: { param: 'accountId' } });
    for (const [query, param] of [
      ['', 'accountId'],
      [`accountId=${numberId}&status=dialed`, 'status'],
      [`accountId=${numberId}&direction=sideways`, 'direction'],
      [`accountId=${numberId}&limit=0`, 'limit'],
      [`accountId=${numberId}&limit=101`, 'limit'],
      [`accountId=${numberId}&since=yesterday`, 'since'],
      [`accountId=${numberId}&before=nope`, 'before'],
    ]) {
      expect({ query, res: await send(acme, 'GET', `/v1/whatsapp/calls?${query}`) }).toMatchObject({ query, res: { status: 400, body: { code: 'VALIDATION_FAILED', param } } });
    }
  });
});
