import { generateKeyPairSync } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '@numbers/config';
import { testEnv } from '@numbers/test-support';
import { startGatewayForTest, type GatewayTestContext } from '../testing/gateway-test-app';
import { MetaWebhookHandshake } from './meta-webhook.handshake';
import {
  metaInboundMessage,
  metaSignature,
  metaStatus,
  metaWebhook,
  stripeEvent,
  stripeSignature,
  telnyxEvent,
  telnyxSignature,
} from '../testing/webhook-signing';

/** Integration: the real gateway over a database of this file; webhooks signed as the providers sign them. */
let ctx: GatewayTestContext;
let app: NestFastifyApplication;
let telnyxKey: string;
const TEN_MINUTES = 10 * 60 * 1000;

beforeAll(async () => {
  ctx = await startGatewayForTest();
  app = ctx.app;
  telnyxKey = testEnv({ DATABASE_URL: ctx.db.url, REDIS_PREFIX: '{unused}' })['TELNYX_SIGNING_PRIVATE_KEY'];
});

afterAll(async () => {
  await ctx?.close();
});

type Provider = 'stripe' | 'telnyx' | 'meta';

function post(provider: Provider, body: string, headers: Record<string, string>, target: NestFastifyApplication = app) {
  return target.inject({ method: 'POST', url: `/webhooks/${provider}`, headers: { 'content-type': 'application/json', ...headers }, payload: body });
}

function signed(provider: Provider, body: string, at?: Date): Record<string, string> {
  if (provider === 'stripe') return stripeSignature(body, ctx.config.stripe.webhookSecret, at);
  if (provider === 'telnyx') return telnyxSignature(body, telnyxKey, at);
  return metaSignature(body, ctx.config.meta.appSecret);
}

async function stored(provider: Provider, eventId: string) {
  return ctx.database.selectFrom('webhookEvents').selectAll().where('provider', '=', provider).where('eventId', '=', eventId).execute();
}

async function jobsFor(webhookEventIds: string[]) {
  const rows = await ctx.database.selectFrom('outbox').selectAll().where('kind', '=', 'job').orderBy('id', 'asc').execute();
  return rows.filter((r) => webhookEventIds.includes((r.payload as { webhookEventId?: string }).webhookEventId ?? ''));
}

async function counts() {
  const count = async (table: 'webhookEvents' | 'outbox') =>
    Number((await ctx.database.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return { events: await count('webhookEvents'), outbox: await count('outbox') };
}

describe('POST /webhooks/stripe', () => {
  it('stores a signed event once, with its raw body, and the billing job that processes it', async () => {
    const event = stripeEvent('checkout.session.completed', { id: 'cs_test_1', object: 'checkout.session' });
    // Pretty-printed and with non-ASCII text: the bytes verified and stored are the bytes sent.
    const body = JSON.stringify({ ...event, note: 'café ☕' }, null, 2);
    const res = await post('stripe', body, { ...signed('stripe', body), 'content-type': 'application/json; charset=utf-8' });

    expect([res.statusCode, res.json()]).toEqual([200, { received: true }]);
    expect(res.headers['x-ratelimit-limit']).toBeUndefined();
    const [row, ...others] = await stored('stripe', event.id);
    expect(others).toEqual([]);
    expect(row).toMatchObject({ eventType: 'checkout.session.completed', rawBody: body, processedAt: null, outcome: null });
    const jobs = await jobsFor([row.id]);
    expect(jobs.map((j) => [j.name, j.payload])).toEqual([['process-stripe-event', { webhookEventId: row.id }]]);
  });

  it('stores the same event delivered five times at once (two gateway replicas) once, with one job', async () => {
    const event = stripeEvent('invoice.paid', { id: 'in_1' });
    const body = JSON.stringify(event);
    const replica = await ctx.startReplica();
    const responses = await Promise.all(
      [app, replica, app, replica, app].map((target) => post('stripe', body, signed('stripe', body), target)),
    );
    expect(responses.map((r) => [r.statusCode, r.json()])).toEqual(Array(5).fill([200, { received: true }]));
    const rows = await stored('stripe', event.id);
    expect(rows).toHaveLength(1);
    expect(await jobsFor([rows[0].id])).toHaveLength(1);

    // A later redelivery (Stripe retries, re-signed): 200, nothing new.
    const again = await post('stripe', body, signed('stripe', body));
    expect([again.statusCode, again.json()]).toEqual([200, { received: true }]);
    expect(await stored('stripe', event.id)).toHaveLength(1);
    expect(await jobsFor([rows[0].id])).toHaveLength(1);
  });
});

describe('POST /webhooks/telnyx', () => {
  it('stores an event under data.id; call.* goes to the calling worker, the rest to provisioning', async () => {
    const order = telnyxEvent('number_order.complete', { id: 'order-1', status: 'success' });
    const call = telnyxEvent('call.hangup', { call_control_id: 'v3:abc' });
    for (const event of [order, call]) {
      const body = JSON.stringify(event);
      const res = await post('telnyx', body, signed('telnyx', body));
      expect([res.statusCode, res.json()]).toEqual([200, { received: true }]);
    }
    const [orderRow] = await stored('telnyx', order.data.id);
    const [callRow] = await stored('telnyx', call.data.id);
    expect(orderRow).toMatchObject({ eventType: 'number_order.complete' });
    expect(callRow).toMatchObject({ eventType: 'call.hangup' });
    expect((await jobsFor([orderRow.id])).map((j) => j.name)).toEqual(['process-telnyx-event']);
    expect((await jobsFor([callRow.id])).map((j) => j.name)).toEqual(['process-telnyx-call-event']);
  });

  it('stores one event whose retries differ in meta.attempt once', async () => {
    const first = telnyxEvent('message.received', { id: 'msg-1', text: 'WhatsApp code 123-456' });
    const retry = { ...first, meta: { ...first.meta, attempt: 2 } };
    for (const event of [first, retry]) {
      const body = JSON.stringify(event);
      expect((await post('telnyx', body, signed('telnyx', body))).statusCode).toBe(200);
    }
    const rows = await stored('telnyx', first.data.id);
    expect(rows).toHaveLength(1);
    expect(rows[0].rawBody).toBe(JSON.stringify(first));
  });
});

describe('POST /webhooks/meta', () => {
  it('stores each change of a delivery as its own event, and a redelivery or an overlapping batch adds only what is new', async () => {
    const wamid = `wamid.${Date.now()}`;
    const body = JSON.stringify(metaWebhook([metaInboundMessage(wamid), metaStatus(wamid, 'delivered')]));
    const res = await post('meta', body, signed('meta', body));
    expect([res.statusCode, res.json()]).toEqual([200, { received: true }]);

    const message = await stored('meta', `message:${wamid}`);
    const delivered = await stored('meta', `status:${wamid}:delivered`);
    expect(message).toHaveLength(1);
    expect(delivered).toHaveLength(1);
    expect(message[0]).toMatchObject({ eventType: 'messages', rawBody: body });
    expect((await jobsFor([message[0].id, delivered[0].id])).map((j) => j.name)).toEqual(['process-meta-event', 'process-meta-event']);

    const before = await counts();
    expect((await post('meta', body, signed('meta', body))).statusCode).toBe(200);
    expect(await counts()).toEqual(before);

    const overlapping = JSON.stringify(metaWebhook([metaStatus(wamid, 'delivered'), metaStatus(wamid, 'read')]));
    expect((await post('meta', overlapping, signed('meta', overlapping))).statusCode).toBe(200);
    expect(await counts()).toEqual({ events: before.events + 1, outbox: before.outbox + 1 });
    expect(await stored('meta', `status:${wamid}:read`)).toHaveLength(1);
  });

  it('stores a change without message, status or call ids under a hash of the change', async () => {
    const body = JSON.stringify(metaWebhook([{ field: 'account_update', value: { event: 'VERIFIED_ACCOUNT', phone_number: '15550001111' } }]));
    expect((await post('meta', body, signed('meta', body))).statusCode).toBe(200);
    expect((await post('meta', body, signed('meta', body))).statusCode).toBe(200);
    const rows = await ctx.database.selectFrom('webhookEvents').selectAll().where('provider', '=', 'meta').where('eventType', '=', 'account_update').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0].eventId).toMatch(/^account_update:sha256:[0-9a-f]{64}$/);
  });
});

describe('refused webhooks: 400, nothing stored', () => {
  const cases: { name: string; provider: Provider; request: () => { body: string; headers: Record<string, string> }; code: string }[] = [];
  for (const provider of ['stripe', 'telnyx', 'meta'] as const) {
    const event = () =>
      JSON.stringify(
        provider === 'stripe' ? stripeEvent('invoice.paid') : provider === 'telnyx' ? telnyxEvent('message.received') : metaWebhook([metaInboundMessage(`wamid.${Math.random()}`)]),
      );
    cases.push(
      { name: 'unsigned', provider, code: 'INVALID_SIGNATURE', request: () => ({ body: event(), headers: {} }) },
      {
        name: 'signed with another secret',
        provider,
        code: 'INVALID_SIGNATURE',
        request: () => {
          const body = event();
          const headers =
            provider === 'stripe'
              ? stripeSignature(body, 'whsec_forged')
              : provider === 'telnyx'
                ? telnyxSignature(body, forgedTelnyxKey())
                : metaSignature(body, 'forged_secret');
          return { body, headers };
        },
      },
      {
        name: 'tampered after signing',
        provider,
        code: 'INVALID_SIGNATURE',
        request: () => {
          const body = event();
          return { body: body.replace(/}$/, ',"extra":true}'), headers: signed(provider, body) };
        },
      },
      {
        name: 'signature header garbage',
        provider,
        code: 'INVALID_SIGNATURE',
        request: () => {
          const body = event();
          const header = provider === 'stripe' ? 'stripe-signature' : provider === 'telnyx' ? 'telnyx-signature-ed25519' : 'x-hub-signature-256';
          return { body, headers: { ...signed(provider, body), [header]: 'garbage' } };
        },
      },
      {
        name: 'signed, but not JSON',
        provider,
        // Fastify's JSON parser refuses it before the route runs, hence VALIDATION_FAILED: still 400, nothing stored.
        code: 'VALIDATION_FAILED',
        request: () => ({ body: '{not json', headers: signed(provider, '{not json') }),
      },
      {
        name: "signed JSON, but not the provider's event shape",
        provider,
        code: 'INVALID_PAYLOAD',
        request: () => {
          const body = JSON.stringify({ hello: 'world' });
          return { body, headers: signed(provider, body) };
        },
      },
    );
    if (provider !== 'meta') {
      cases.push(
        {
          name: 'signed ten minutes ago (stale)',
          provider,
          code: 'INVALID_SIGNATURE',
          request: () => {
            const body = event();
            return { body, headers: signed(provider, body, new Date(Date.now() - TEN_MINUTES)) };
          },
        },
      );
    }
    // Telnyx bounds the timestamp both ways; Stripe's SDK only bounds its age (a timestamp in the
    // future still needs the secret to sign, so it cannot be a replay).
    if (provider === 'telnyx') {
      cases.push({
        name: 'signed ten minutes ahead',
        provider,
        code: 'INVALID_SIGNATURE',
        request: () => {
          const body = event();
          return { body, headers: signed(provider, body, new Date(Date.now() + TEN_MINUTES)) };
        },
      });
    }
  }

  it.each(cases.map((c) => [`${c.provider}: ${c.name}`, c] as const))('%s', async (_, c) => {
    const before = await counts();
    const { body, headers } = c.request();
    const res = await post(c.provider, body, headers);
    expect([res.statusCode, res.json()]).toEqual([400, { error: expect.any(String), code: c.code }]);
    expect(res.headers['x-request-id']).toBeDefined();
    expect(await counts()).toEqual(before);
  });

  it('never echoes why in the response (the reason is logged)', async () => {
    const body = JSON.stringify(stripeEvent('invoice.paid'));
    const res = await post('stripe', body, stripeSignature(body, 'whsec_forged'));
    expect(res.json()).toEqual({ error: 'Webhook signature is missing, invalid or expired', code: 'INVALID_SIGNATURE' });
  });
});

describe('GET /webhooks/meta (subscription handshake)', () => {
  const url = (query: Record<string, string | undefined>) => `/webhooks/meta?${new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined))}`;

  it('echoes hub.challenge as text when hub.verify_token is META_VERIFY_TOKEN', async () => {
    const token = ctx.config.meta.verifyToken ?? '';
    expect(token).not.toBe('');
    const res = await app.inject({ method: 'GET', url: url({ 'hub.mode': 'subscribe', 'hub.verify_token': token, 'hub.challenge': '1158201444' }) });
    expect([res.statusCode, res.body]).toEqual([200, '1158201444']);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
  });

  it('answers 403 for a wrong or missing token, another mode or no challenge', async () => {
    const token = ctx.config.meta.verifyToken ?? '';
    for (const query of [
      { 'hub.mode': 'subscribe', 'hub.verify_token': 'wrong', 'hub.challenge': '1' },
      { 'hub.mode': 'subscribe', 'hub.verify_token': `${token}x`, 'hub.challenge': '1' },
      { 'hub.mode': 'subscribe', 'hub.challenge': '1' },
      { 'hub.mode': 'unsubscribe', 'hub.verify_token': token, 'hub.challenge': '1' },
      { 'hub.mode': 'subscribe', 'hub.verify_token': token },
    ]) {
      const res = await app.inject({ method: 'GET', url: url(query) });
      expect([query, res.statusCode, res.json()]).toEqual([query, 403, { error: 'Webhook verification refused', code: 'INVALID_VERIFY_TOKEN' }]);
    }
  });

  it('refuses every handshake when no META_VERIFY_TOKEN is configured', () => {
    const unset = new MetaWebhookHandshake({ ...ctx.config, meta: { ...ctx.config.meta, verifyToken: null } } as AppConfig);
    for (const token of ['', 'null', ctx.config.meta.verifyToken ?? '']) {
      expect(() => unset.challengeFor({ 'hub.mode': 'subscribe', 'hub.verify_token': token, 'hub.challenge': '1' })).toThrow('Webhook verification refused');
    }
  });
});

function forgedTelnyxKey(): string {
  // Another Ed25519 key: a well-formed signature that TELNYX_PUBLIC_KEY does not verify.
  const { privateKey } = generateKeyPairSync('ed25519');
  return Buffer.from(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()).toString('base64');
}
