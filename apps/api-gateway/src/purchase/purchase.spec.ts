// POST /v1/whatsapp/phone-numbers/purchase: the gateway's real module on a database of its own,
// Stripe and Telnyx played by the built provider simulator through the real SDKs.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { newId, requestFingerprint } from '@numbers/domain';
import { CHECKOUT_NOT_CREATED_REASON, createPurchasedNumber, NumberLifecycle, type Database } from '@numbers/persistence';
import { createProfile, seedAccount, seedNumber, type SeededAccount } from '../testing/gateway-test-app';
import { startGatewayWithSimulator, type GatewayWithSimulator } from '../testing/gateway-with-simulator';
import { CHECKOUT_BILLING_TEXT } from './first-number-checkout';

jest.setTimeout(120_000);

const PUBLIC_BASE_URL = 'https://numbers.test';

const PURCHASE = '/v1/whatsapp/phone-numbers/purchase';
const DAY_SECONDS = 24 * 3600;

interface StripeRequest {
  method: string;
  path: string;
  status: number;
  idempotencyKey: string | null;
  body: Record<string, unknown> | null;
}
interface SimState {
  stripe: {
    customers: { id: string; metadata: Record<string, string> }[];
    checkoutSessions: { id: string; status: string; customer: string | null; subscription?: string | null; metadata: Record<string, string> }[];
  };
  requests: { stripe: StripeRequest[] };
  faults: unknown[];
}

let ctx: GatewayWithSimulator;
let app: NestFastifyApplication;
let database: Database;

async function purchase(account: SeededAccount, body: Record<string, unknown> | undefined, requestId?: string) {
  const res = await app.inject({
    method: 'POST',
    url: PURCHASE,
    headers: { authorization: account.bearer, ...(requestId ? { 'x-request-id': requestId } : {}) },
    ...(body === undefined ? {} : { payload: body }),
  });
  return { status: res.statusCode, body: res.json() };
}

/** An account whose first number was paid for: later purchases go on its subscription. */
async function withSubscription(account: SeededAccount): Promise<void> {
  await database
    .insertInto('billingAccounts')
    .values({
      accountId: account.accountId,
      stripeCustomerId: `cus_seed_${account.accountId}`,
      stripeSubscriptionId: `sub_seed_${account.accountId}`,
      stripeSubscriptionItemId: `si_seed_${account.accountId}`,
      subscriptionStatus: 'active',
      quantity: 1,
    })
    .execute();
}

const numbersOf = (accountId: string) => database.selectFrom('phoneNumbers').selectAll().where('accountId', '=', accountId).orderBy('createdAt', 'asc').execute();
const simState = () => ctx.sim.get<SimState>('/_sim/state');

beforeAll(async () => {
  ctx = await startGatewayWithSimulator({ PUBLIC_BASE_URL });
  app = ctx.app;
  database = ctx.database;
});

afterAll(async () => {
  await ctx?.close();
});

describe('validation', () => {
  let acme: SeededAccount;
  beforeAll(async () => {
    acme = await seedAccount(database, 'Validation', 'scale');
  });

  it('answers 400 naming the param, and buys nothing', async () => {
    const cases: Array<[Record<string, unknown> | undefined, string]> = [
      [undefined, 'profileId'],
      [{}, 'profileId'],
      [{ profileId: 42 }, 'profileId'],
      [{ profileId: 'nope' }, 'profileId'],
      [{ profileId: acme.profileId, country: 'USA' }, 'country'],
      [{ profileId: acme.profileId, country: 7 }, 'country'],
      [{ profileId: acme.profileId, country: 'ZZ' }, 'country'],
      [{ profileId: acme.profileId, phoneNumber: '4155550123' }, 'phoneNumber'],
      [{ profileId: acme.profileId, purchaseIntentId: '' }, 'purchaseIntentId'],
      [{ profileId: acme.profileId, purchaseIntentId: 'x'.repeat(129) }, 'purchaseIntentId'],
      [{ profileId: acme.profileId, allowMultiple: 'yes' }, 'allowMultiple'],
    ];
    for (const [body, param] of cases) {
      const res = await purchase(acme, body);
      expect({ body, res }).toEqual({ body, res: { status: 400, body: { error: expect.stringContaining(param), code: 'VALIDATION_FAILED', param } } });
    }
    expect(await numbersOf(acme.accountId)).toEqual([]);
  });

  it("is 404 for a profile that is not the caller's (never a leak of another account's)", async () => {
    const other = await seedAccount(database, 'Other', 'scale');
    for (const profileId of [other.profileId, newId()]) {
      const res = await purchase(acme, { profileId });
      expect(res).toEqual({ status: 404, body: { error: 'Profile not found', code: 'NOT_FOUND', param: 'profileId' } });
    }
  });

  it('is 401 without a key', async () => {
    const res = await app.inject({ method: 'POST', url: PURCHASE, payload: { profileId: acme.profileId } });
    expect([res.statusCode, res.json()]).toEqual([401, { error: 'Unauthorized' }]);
  });
});

describe('the first number: Stripe Checkout', () => {
  let acme: SeededAccount;
  let numberId: string;
  let checkoutUrl: string;

  beforeAll(async () => {
    acme = await seedAccount(database, 'First Buyer', 'growth');
  });

  it('creates the number pending_payment with its history and intent, and answers {message, checkoutUrl}', async () => {
    const before = Math.floor(Date.now() / 1000);
    const res = await purchase(acme, { profileId: acme.profileId, purchaseIntentId: 'intent-first' }, 'req-first-1');
    expect(res).toEqual({ status: 200, body: { message: expect.any(String), checkoutUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/checkout\//) } });
    checkoutUrl = res.body.checkoutUrl;

    const [number, ...more] = await numbersOf(acme.accountId);
    expect(more).toEqual([]);
    numberId = number.id;
    expect(number).toMatchObject({
      status: 'pending_payment',
      country: 'US',
      numberType: 'local',
      monthlyCents: 300,
      paidFirst: true,
      phoneNumber: null,
      profileId: acme.profileId,
      stripeCheckoutSessionId: expect.stringMatching(/^cs_/),
    });
    const history = await database.selectFrom('numberStatusHistory').selectAll().where('numberId', '=', numberId).execute();
    expect(history).toEqual([
      expect.objectContaining({ fromStatus: null, toStatus: 'pending_payment', event: 'purchase_accepted', applied: true, actor: 'customer', cause: 'req-first-1' }),
    ]);
    expect(await database.selectFrom('purchaseIntents').selectAll().where('accountId', '=', acme.accountId).execute()).toEqual([
      expect.objectContaining({ intentId: 'intent-first', numberId }),
    ]);

    // The customer is created once per account and stored; the session is at Stripe as asked.
    const billing = await database.selectFrom('billingAccounts').selectAll().where('accountId', '=', acme.accountId).executeTakeFirstOrThrow();
    expect(billing).toMatchObject({ stripeCustomerId: expect.stringMatching(/^cus_/), stripeSubscriptionId: null });
    const state = await simState();
    expect(state.stripe.customers.find((c) => c.id === billing.stripeCustomerId)?.metadata).toEqual({ accountId: acme.accountId });
    expect(state.stripe.checkoutSessions.find((s) => s.id === number.stripeCheckoutSessionId)).toEqual(
      expect.objectContaining({ status: 'open', customer: billing.stripeCustomerId, metadata: { accountId: acme.accountId, numberId } }),
    );
    const created = state.requests.stripe.filter((r) => r.method === 'POST' && r.path === '/v1/checkout/sessions' && r.idempotencyKey === `checkout-${numberId}`);
    expect(created).toHaveLength(1);
    const sent = created[0].body as {
      mode: string;
      client_reference_id: string;
      line_items: { quantity: string; price: string }[];
      subscription_data: { trial_end: string };
      success_url: string;
      cancel_url: string;
      custom_text: { submit: { message: string } };
    };
    expect(sent).toMatchObject({ mode: 'subscription', client_reference_id: numberId, line_items: [expect.objectContaining({ quantity: '1' })] });
    // One slot at the number's own monthly price: the Stripe price of lookup key number-monthly-<cents>.
    const price = await fetch(`${ctx.sim.url}/v1/prices/${sent.line_items[0].price}`, { headers: { authorization: 'Bearer sk_test_x' } }).then((r) => r.json() as Promise<{ unit_amount: number; lookup_key: string }>);
    expect(price).toMatchObject({ unit_amount: number.monthlyCents, lookup_key: `number-monthly-${number.monthlyCents}` });
    const trialEnd = Number(sent.subscription_data.trial_end);
    expect(trialEnd).toBeGreaterThanOrEqual(before + 700 * DAY_SECONDS);
    expect(trialEnd).toBeLessThan(before + 730 * DAY_SECONDS);
    expect(sent.success_url.startsWith(`${PUBLIC_BASE_URL}/checkout/success`)).toBe(true);
    expect(sent.cancel_url.startsWith(`${PUBLIC_BASE_URL}/checkout/cancel`)).toBe(true);
    // Beside the Pay button: when the customer starts paying, which the far trial alone does not say.
    expect(sent.custom_text).toEqual({ submit: { message: CHECKOUT_BILLING_TEXT } });
    expect(CHECKOUT_BILLING_TEXT).toContain('You pay from the day your number is active');
    expect(state.requests.stripe.filter((r) => r.path === '/v1/customers' && r.method === 'POST').map((r) => r.idempotencyKey)).toContain(`customer-${acme.accountId}`);
  });

  it("serves the simulator's hosted checkout page at checkoutUrl", async () => {
    const page = await fetch(checkoutUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain(`<p class="custom-text" id="custom-text-submit">${CHECKOUT_BILLING_TEXT}</p>`);
  });

  it('a retry with the same purchaseIntentId answers already_purchased and creates nothing', async () => {
    const res = await purchase(acme, { profileId: acme.profileId, purchaseIntentId: 'intent-first', allowMultiple: true });
    expect(res).toEqual({ status: 200, body: { status: 'already_purchased', numberId, phoneNumber: null } });
    expect(await numbersOf(acme.accountId)).toHaveLength(1);
  });

  it('a second purchase within 10 minutes is 409 PURCHASE_VELOCITY without allowMultiple', async () => {
    const res = await purchase(acme, { profileId: acme.profileId });
    expect(res).toEqual({ status: 409, body: { error: expect.stringContaining('allowMultiple'), code: 'PURCHASE_VELOCITY' } });
    expect(await numbersOf(acme.accountId)).toHaveLength(1);
  });

  it('with allowMultiple, a second number waits for the first checkout: 409 CHECKOUT_PENDING (no second subscription)', async () => {
    const res = await purchase(acme, { profileId: acme.profileId, allowMultiple: true });
    expect(res).toEqual({ status: 409, body: { error: expect.any(String), code: 'CHECKOUT_PENDING' } });
    expect(await numbersOf(acme.accountId)).toHaveLength(1);
  });

  it('the checkout return pages answer without a key', async () => {
    for (const path of ['/checkout/success?session_id=cs_x', '/checkout/cancel?session_id=cs_x']) {
      const res = await app.inject({ method: 'GET', url: path });
      expect([path, res.statusCode, res.headers['content-type']]).toEqual([path, 200, 'text/html; charset=utf-8']);
    }
  });
});

describe('later numbers: on the subscription, provisioned at once', () => {
  it('moves the number to provisioning through the lifecycle and answers {message, phoneNumber}', async () => {
    const acme = await seedAccount(database, 'Later Buyer', 'growth');
    await withSubscription(acme);
    const { profileId: second } = await createProfile(database, acme.accountId, 'Second');
    const stripeCalls = (await simState()).requests.stripe.length;

    const res = await purchase(acme, { profileId: second, country: 'gb' }, 'req-later-1');
    expect(res.status).toBe(200);
    const [number] = await numbersOf(acme.accountId);
    expect(res.body).toEqual({
      message: expect.any(String),
      phoneNumber: expect.objectContaining({
        id: number.id,
        phoneNumber: null,
        status: 'provisioning',
        country: 'GB',
        monthlyCents: 600,
        hostedByZernio: true,
        profileId: { _id: second, name: 'Second' },
        provisionedAt: null,
        createdAt: number.createdAt.toISOString(),
      }),
    });
    expect(number).toMatchObject({ status: 'provisioning', numberType: 'mobile', paidFirst: true, stripeCheckoutSessionId: null, version: 1 });
    const history = await database.selectFrom('numberStatusHistory').selectAll().where('numberId', '=', number.id).orderBy('id', 'asc').execute();
    expect(history.map((h) => [h.fromStatus, h.toStatus, h.event, h.applied, h.cause])).toEqual([
      [null, 'pending_payment', 'purchase_accepted', true, 'req-later-1'],
      ['pending_payment', 'provisioning', 'payment_confirmed', true, 'req-later-1'],
    ]);
    // What follows is the lifecycle's (followUpsOf): the slot is the billing worker's
    // sync-subscription-quantity, not an inline Stripe call.
    const outbox = await database.selectFrom('outbox').selectAll().orderBy('id', 'asc').execute();
    const mine = outbox.filter((row) => JSON.stringify(row.payload).includes(number.id));
    expect(mine.map((row) => [row.kind, row.name])).toEqual(
      expect.arrayContaining([
        ['job', 'sync-subscription-quantity'],
        ['event', 'number.status_changed'],
      ]),
    );
    expect((await simState()).requests.stripe).toHaveLength(stripeCalls);
  });
});

describe('the plan', () => {
  it('free: 403 PLAN_FORBIDS_NUMBERS', async () => {
    const free = await seedAccount(database, 'Free', 'free');
    const res = await purchase(free, { profileId: free.profileId });
    expect(res).toEqual({ status: 403, body: { error: expect.any(String), code: 'PLAN_FORBIDS_NUMBERS' } });
    expect(await numbersOf(free.accountId)).toEqual([]);
  });

  it("at the plan's maximum: 403 PLAN_LIMIT_REACHED; released numbers do not count", async () => {
    const starter = await seedAccount(database, 'Starter', 'starter');
    await withSubscription(starter);
    await seedNumber(database, { accountId: starter.accountId, profileId: starter.profileId, status: 'released', createdAt: new Date(Date.now() - 3600_000) });
    const active = await seedNumber(database, { accountId: starter.accountId, profileId: starter.profileId, status: 'active', createdAt: new Date(Date.now() - 3600_000) });
    const res = await purchase(starter, { profileId: starter.profileId, allowMultiple: true });
    expect(res).toEqual({ status: 403, body: { error: expect.any(String), code: 'PLAN_LIMIT_REACHED', details: { maxNumbers: 1, numbers: 1 } } });

    await database.updateTable('phoneNumbers').set({ status: 'released', updatedAt: new Date() }).where('id', '=', active).execute();
    const ok = await purchase(starter, { profileId: starter.profileId });
    expect([ok.status, ok.body.phoneNumber?.status]).toEqual([200, 'provisioning']);
  });
});

describe('velocity', () => {
  it('counts purchases of the last 10 minutes only', async () => {
    const acme = await seedAccount(database, 'Velocity', 'scale');
    await withSubscription(acme);
    await seedNumber(database, { accountId: acme.accountId, profileId: acme.profileId, status: 'active', createdAt: new Date(Date.now() - 11 * 60_000) });
    const first = await purchase(acme, { profileId: acme.profileId });
    expect(first.status).toBe(200);
    const second = await purchase(acme, { profileId: acme.profileId, allowMultiple: false });
    expect(second).toEqual({ status: 409, body: { error: expect.any(String), code: 'PURCHASE_VELOCITY' } });
    const third = await purchase(acme, { profileId: acme.profileId, allowMultiple: true });
    expect(third.status).toBe(200);
    expect(await numbersOf(acme.accountId)).toHaveLength(3);
  });
});

describe('the country', () => {
  it('one that needs KYC answers 202 kyc_required and creates nothing', async () => {
    const acme = await seedAccount(database, 'KYC', 'scale');
    const res = await purchase(acme, { profileId: acme.profileId, country: 'de' });
    expect(res).toEqual({
      status: 202,
      body: { status: 'kyc_required', country: 'DE', numberType: 'local', kycUrl: `${PUBLIC_BASE_URL}/v1/whatsapp/phone-numbers/kyc?country=DE&numberType=local&profileId=${acme.profileId}` },
    });
    expect((await purchase(acme, { profileId: acme.profileId, country: 'BR' })).body).toMatchObject({ status: 'kyc_required', numberType: 'mobile' });
    expect(await numbersOf(acme.accountId)).toEqual([]);
  });

  it('one out of stock is 409 COUNTRY_OUT_OF_STOCK', async () => {
    const acme = await seedAccount(database, 'No stock', 'scale');
    await database.updateTable('countries').set({ available: false }).where('code', '=', 'CA').execute();
    try {
      const res = await purchase(acme, { profileId: acme.profileId, country: 'CA' });
      expect(res).toEqual({ status: 409, body: { error: expect.any(String), code: 'COUNTRY_OUT_OF_STOCK' } });
      expect(await numbersOf(acme.accountId)).toEqual([]);
    } finally {
      await database.updateTable('countries').set({ available: true }).where('code', '=', 'CA').execute();
    }
  });
});

describe('an exact phoneNumber', () => {
  it('is checked at the carrier and stored on the number for the ordering worker', async () => {
    const acme = await seedAccount(database, 'Exact', 'scale');
    await withSubscription(acme);
    const search = await app.inject({ method: 'GET', url: '/v1/whatsapp/phone-numbers/available?areaCode=415&limit=2', headers: { authorization: acme.bearer } });
    const wanted: string = search.json().numbers[0].phoneNumber;

    const res = await purchase(acme, { profileId: acme.profileId, phoneNumber: wanted });
    expect(res.status).toBe(200);
    expect(res.body.phoneNumber).toMatchObject({ phoneNumber: wanted, status: 'provisioning' });
    expect((await numbersOf(acme.accountId))[0].phoneNumber).toBe(wanted);

    // Held by one of our numbers now: nobody (this account or another) can buy it again.
    const other = await seedAccount(database, 'Exact too', 'scale');
    await withSubscription(other);
    const taken = await purchase(other, { profileId: other.profileId, phoneNumber: wanted });
    expect(taken).toEqual({ status: 409, body: { error: expect.any(String), code: 'PHONE_NUMBER_UNAVAILABLE' } });
  });

  it('not on offer is 409 PHONE_NUMBER_UNAVAILABLE (also of another type than the one we order)', async () => {
    const acme = await seedAccount(database, 'Exact missing', 'scale');
    for (const phoneNumber of ['+14150000000', '+442071234567']) {
      const res = await purchase(acme, { profileId: acme.profileId, phoneNumber });
      expect(res).toEqual({ status: 409, body: { error: expect.any(String), code: 'PHONE_NUMBER_UNAVAILABLE' } });
    }
    const tollFree = await app.inject({ method: 'GET', url: '/v1/whatsapp/phone-numbers/available?numberType=toll_free&limit=1', headers: { authorization: acme.bearer } });
    const res = await purchase(acme, { profileId: acme.profileId, phoneNumber: tollFree.json().numbers[0].phoneNumber });
    expect(res.body.code).toBe('PHONE_NUMBER_UNAVAILABLE');
    expect(await numbersOf(acme.accountId)).toEqual([]);
  });

  it('the rules answer before the carrier is asked', async () => {
    const free = await seedAccount(database, 'Exact free', 'free');
    const res = await purchase(free, { profileId: free.profileId, phoneNumber: '+14150000000' });
    expect(res.body.code).toBe('PLAN_FORBIDS_NUMBERS');
  });
});

describe('when Stripe fails', () => {
  it('answers 503 PAYMENTS_UNAVAILABLE and leaves nothing half-written; a retry with the same intent buys anew', async () => {
    const acme = await seedAccount(database, 'Stripe down', 'growth');
    // The SDK tries three times (two retries) with the same idempotency key.
    await ctx.sim.post('/_sim/faults', { provider: 'stripe', method: 'POST', path: '/v1/checkout/sessions', action: 'fail', status: 503, times: 3 });

    const failed = await purchase(acme, { profileId: acme.profileId, purchaseIntentId: 'intent-retry' }, 'req-stripe-down');
    expect(failed).toEqual({ status: 503, body: { error: expect.any(String), code: 'PAYMENTS_UNAVAILABLE' } });
    expect((await simState()).faults).toEqual([]);

    const [undone] = await numbersOf(acme.accountId);
    expect(undone).toMatchObject({ status: 'released', failureReason: CHECKOUT_NOT_CREATED_REASON, stripeCheckoutSessionId: null, releasedAt: expect.any(Date) });
    const history = await database.selectFrom('numberStatusHistory').selectAll().where('numberId', '=', undone.id).orderBy('id', 'asc').execute();
    expect(history.map((h) => [h.fromStatus, h.toStatus, h.event, h.applied, h.cause])).toEqual([
      [null, 'pending_payment', 'purchase_accepted', true, 'req-stripe-down'],
      ['pending_payment', 'released', 'checkout_expired', true, CHECKOUT_NOT_CREATED_REASON],
    ]);
    expect(await database.selectFrom('purchaseIntents').selectAll().where('accountId', '=', acme.accountId).execute()).toHaveLength(0);
    // Nothing to bill or provision follows an undone purchase.
    const outbox = await database.selectFrom('outbox').selectAll().execute();
    expect(outbox.filter((row) => JSON.stringify(row.payload).includes(undone.id)).map((row) => row.name)).toEqual(['number.status_changed']);

    // The retry: same intent, no allowMultiple (the undone attempt was not a purchase).
    const retried = await purchase(acme, { profileId: acme.profileId, purchaseIntentId: 'intent-retry' });
    expect(retried).toEqual({ status: 200, body: { message: expect.any(String), checkoutUrl: expect.any(String) } });
    const numbers = await numbersOf(acme.accountId);
    expect(numbers.map((n) => n.status)).toEqual(['released', 'pending_payment']);
    expect(await database.selectFrom('purchaseIntents').selectAll().where('accountId', '=', acme.accountId).execute()).toEqual([
      expect.objectContaining({ intentId: 'intent-retry', numberId: numbers[1].id }),
    ]);
    // The customer made on the first attempt was kept and reused.
    const customers = (await simState()).requests.stripe.filter((r) => r.path === '/v1/customers' && r.idempotencyKey === `customer-${acme.accountId}`);
    expect(customers).toHaveLength(1);
  });
});

describe('a retried first purchase whose Checkout creation failed and whose undo failed too', () => {
  it('creates the Checkout Session once, records it on the number, and answers its payable URL', async () => {
    const acme = await seedAccount(database, 'Undo failed', 'growth');
    // What a failed create followed by a failed undo (PostgreSQL down) leaves: the number
    // pending_payment with its intent and no session.
    const createdAt = new Date(Date.now() - 60_000);
    const stuck = await database.transaction().execute((tx) =>
      createPurchasedNumber(tx, {
        accountId: acme.accountId,
        profileId: acme.profileId,
        country: 'US',
        numberType: 'local',
        monthlyCents: 300,
        purchaseIntentId: 'intent-stuck',
        cause: 'req-stuck',
        now: createdAt,
      }),
    );

    // Retries racing each other get the one session Stripe makes under the number's key; one
    // that starts after the session was recorded is an ordinary already_purchased.
    const retries = await Promise.all([1, 2, 3].map(() => purchase(acme, { profileId: acme.profileId, purchaseIntentId: 'intent-stuck' })));
    const resumed = retries.filter((r) => r.body.checkoutUrl !== undefined);
    expect(resumed.length).toBeGreaterThanOrEqual(1);
    expect(resumed).toEqual(resumed.map(() => ({ status: 200, body: { message: expect.any(String), checkoutUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/checkout\//) } })));
    expect(retries.filter((r) => r.body.checkoutUrl === undefined)).toEqual(
      retries.filter((r) => r.body.checkoutUrl === undefined).map(() => ({ status: 200, body: { status: 'already_purchased', numberId: stuck.id, phoneNumber: null } })),
    );
    const urls = new Set(resumed.map((r) => r.body.checkoutUrl as string));
    expect(urls.size).toBe(1);

    const [number, ...more] = await numbersOf(acme.accountId);
    expect(more).toEqual([]);
    expect(number).toMatchObject({ id: stuck.id, status: 'pending_payment', stripeCheckoutSessionId: expect.stringMatching(/^cs_/) });
    const sessionId = number.stripeCheckoutSessionId as string;
    const state = await simState();
    expect(state.stripe.checkoutSessions.filter((s) => s.metadata['numberId'] === stuck.id)).toEqual([
      expect.objectContaining({ id: sessionId, status: 'open', metadata: { accountId: acme.accountId, numberId: stuck.id } }),
    ]);
    // The trial counts from the number's creation, so every attempt sends Stripe the same request.
    const sent = state.requests.stripe.filter((r) => r.path === '/v1/checkout/sessions' && r.idempotencyKey === `checkout-${stuck.id}`);
    expect(new Set(sent.map((r) => (r.body as { subscription_data: { trial_end: string } }).subscription_data.trial_end))).toEqual(
      new Set([String(Math.floor(createdAt.getTime() / 1000) + 700 * DAY_SECONDS)]),
    );

    // The URL is payable: the simulator completes the session into a subscription, whose
    // checkout.session.completed the billing worker settles by the number id in its metadata.
    expect((await fetch([...urls][0])).status).toBe(200);
    await ctx.sim.post(`/_sim/stripe/checkout/${sessionId}/pay`, {});
    expect((await simState()).stripe.checkoutSessions.find((s) => s.id === sessionId)).toMatchObject({ status: 'complete', subscription: expect.stringMatching(/^sub_/) });

    // Once the session is recorded, a retry is an ordinary already_purchased.
    expect(await purchase(acme, { profileId: acme.profileId, purchaseIntentId: 'intent-stuck' })).toEqual({
      status: 200,
      body: { status: 'already_purchased', numberId: stuck.id, phoneNumber: null },
    });
  });
});

describe('a purchase undone while its Checkout was being created', () => {
  it('expires the new session and answers 503 PAYMENTS_UNAVAILABLE: nothing stays payable', async () => {
    const acme = await seedAccount(database, 'Stalled checkout', 'growth');
    await ctx.sim.post('/_sim/faults', { provider: 'stripe', method: 'POST', path: '/v1/checkout/sessions', action: 'delay', delayMs: 1500 });
    const answer = purchase(acme, { profileId: acme.profileId });
    // The pending-checkout sweep undoes the number while Stripe is still creating its session.
    let number;
    for (let i = 0; i < 100 && !number; i++) {
      [number] = await numbersOf(acme.accountId);
      if (!number) await new Promise((r) => setTimeout(r, 20));
    }
    if (!number) throw new Error('the purchase created no number');
    await app.get(NumberLifecycle).apply(number.id, 'checkout_expired', { cause: 'sweep', actor: 'system' });

    expect(await answer).toEqual({ status: 503, body: { error: expect.any(String), code: 'PAYMENTS_UNAVAILABLE' } });
    const sessions = (await simState()).stripe.checkoutSessions.filter((s) => s.metadata['numberId'] === number.id);
    expect(sessions.map((s) => s.status)).toEqual(['expired']);
    expect(await database.selectFrom('phoneNumbers').selectAll().where('id', '=', number.id).executeTakeFirstOrThrow()).toMatchObject({ status: 'released', stripeCheckoutSessionId: null });
  });
});

describe('concurrency', () => {
  it('20 parallel purchases with one purchaseIntentId create exactly one number', async () => {
    const acme = await seedAccount(database, 'Parallel intent', 'scale');
    await withSubscription(acme);
    const results = await Promise.all(Array.from({ length: 20 }, () => purchase(acme, { profileId: acme.profileId, purchaseIntentId: 'one-intent' })));
    const numbers = await numbersOf(acme.accountId);
    expect(numbers).toHaveLength(1);
    const bought = results.filter((r) => r.body.phoneNumber?.status === 'provisioning');
    const replays = results.filter((r) => r.body.status === 'already_purchased');
    expect(bought).toHaveLength(1);
    expect(replays).toHaveLength(19);
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(new Set([bought[0].body.phoneNumber.id, ...replays.map((r) => r.body.numberId)])).toEqual(new Set([numbers[0].id]));
  });

  it("50 parallel purchases one below the plan's maximum create exactly one number", async () => {
    const acme = await seedAccount(database, 'Parallel cap', 'growth');
    await withSubscription(acme);
    for (let i = 0; i < 4; i++) {
      await seedNumber(database, { accountId: acme.accountId, profileId: acme.profileId, status: 'active', createdAt: new Date(Date.now() - 3600_000) });
    }
    const results = await Promise.all(Array.from({ length: 50 }, () => purchase(acme, { profileId: acme.profileId, allowMultiple: true })));
    const byStatus = results.reduce<Record<string, number>>((counts, r) => ({ ...counts, [`${r.status} ${r.body.code ?? ''}`.trim()]: (counts[`${r.status} ${r.body.code ?? ''}`.trim()] ?? 0) + 1 }), {});
    expect(byStatus).toEqual({ '200': 1, '403 PLAN_LIMIT_REACHED': 49 });
    expect(await database.selectFrom('phoneNumbers').select('id').where('accountId', '=', acme.accountId).where('status', '<>', 'released').execute()).toHaveLength(5);
  });
});

describe('Idempotency-Key', () => {
  async function send(account: SeededAccount, body: Record<string, unknown>, key: string) {
    const res = await app.inject({ method: 'POST', url: PURCHASE, headers: { authorization: account.bearer, 'idempotency-key': key }, payload: body });
    return { status: res.statusCode, body: res.json(), replayed: res.headers['idempotent-replayed'] };
  }

  it('replays the first answer to the same key and body, fields in any order, and buys once', async () => {
    const acme = await seedAccount(database, 'Idempotent', 'growth');
    await withSubscription(acme);
    const first = await send(acme, { profileId: acme.profileId, country: 'GB', allowMultiple: true }, 'key-1');
    expect(first).toMatchObject({ status: 200, replayed: undefined, body: { phoneNumber: { status: 'provisioning' } } });
    const again = await send(acme, { allowMultiple: true, country: 'GB', profileId: acme.profileId }, 'key-1');
    expect(again).toEqual({ ...first, replayed: 'true' });
    expect(await numbersOf(acme.accountId)).toHaveLength(1);
    // Another key is another purchase.
    expect((await send(acme, { profileId: acme.profileId, country: 'GB', allowMultiple: true }, 'key-2')).status).toBe(200);
    expect(await numbersOf(acme.accountId)).toHaveLength(2);
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED to the same key with another body, and buys nothing', async () => {
    const acme = await seedAccount(database, 'Reused key', 'growth');
    await withSubscription(acme);
    await send(acme, { profileId: acme.profileId, allowMultiple: true }, 'reused');
    const other = await send(acme, { profileId: acme.profileId, allowMultiple: true, country: 'GB' }, 'reused');
    expect(other).toMatchObject({ status: 422, body: { code: 'IDEMPOTENCY_KEY_REUSED', param: 'Idempotency-Key' } });
    expect(await numbersOf(acme.accountId)).toHaveLength(1);
  });

  it('keys are per account: the same key of another account is its own', async () => {
    const [a, b] = [await seedAccount(database, 'Key A', 'growth'), await seedAccount(database, 'Key B', 'growth')];
    await withSubscription(a);
    await withSubscription(b);
    expect((await send(a, { profileId: a.profileId }, 'shared')).status).toBe(200);
    expect(await send(b, { profileId: b.profileId }, 'shared')).toMatchObject({ status: 200, replayed: undefined });
    expect(await numbersOf(b.accountId)).toHaveLength(1);
  });

  it('10 parallel requests with one key buy one number; the others are replays or 409 IDEMPOTENCY_KEY_IN_FLIGHT', async () => {
    const acme = await seedAccount(database, 'Parallel key', 'scale');
    await withSubscription(acme);
    const results = await Promise.all(Array.from({ length: 10 }, () => send(acme, { profileId: acme.profileId }, 'parallel')));
    expect(await numbersOf(acme.accountId)).toHaveLength(1);
    const bought = results.filter((r) => r.status === 200 && r.replayed === undefined);
    expect(bought).toHaveLength(1);
    for (const r of results.filter((x) => x !== bought[0])) {
      if (r.status === 200) expect(r).toEqual({ ...bought[0], replayed: 'true' });
      else expect(r).toMatchObject({ status: 409, body: { code: 'IDEMPOTENCY_KEY_IN_FLIGHT', param: 'Idempotency-Key' } });
    }
  });

  it('replays a client error; forgets our own fault (503), so a retry runs', async () => {
    const free = await seedAccount(database, 'Key free', 'free');
    const refused = await send(free, { profileId: free.profileId }, 'refused');
    expect(refused).toMatchObject({ status: 403, body: { code: 'PLAN_FORBIDS_NUMBERS' } });
    expect(await send(free, { profileId: free.profileId }, 'refused')).toEqual({ ...refused, replayed: 'true' });

    const acme = await seedAccount(database, 'Key 503', 'growth');
    await ctx.sim.post('/_sim/faults', { provider: 'stripe', method: 'POST', path: '/v1/checkout/sessions', action: 'fail', status: 503, times: 3 });
    expect(await send(acme, { profileId: acme.profileId }, 'flaky')).toMatchObject({ status: 503, body: { code: 'PAYMENTS_UNAVAILABLE' } });
    expect(await send(acme, { profileId: acme.profileId }, 'flaky')).toMatchObject({ status: 200, replayed: undefined, body: { checkoutUrl: expect.any(String) } });
  });

  it('takes over a key whose first request died in flight a while ago', async () => {
    const acme = await seedAccount(database, 'Key abandoned', 'growth');
    await withSubscription(acme);
    const body = { profileId: acme.profileId };
    await database
      .insertInto('idempotencyRecords')
      .values({
        accountId: acme.accountId,
        scope: `POST ${PURCHASE}`,
        key: 'abandoned',
        requestHash: requestFingerprint(body),
        state: 'in_flight',
        createdAt: new Date(Date.now() - 5 * 60_000),
      })
      .execute();
    expect(await send(acme, body, 'abandoned')).toMatchObject({ status: 200, replayed: undefined });
    await database
      .insertInto('idempotencyRecords')
      .values({ accountId: acme.accountId, scope: `POST ${PURCHASE}`, key: 'running', requestHash: requestFingerprint(body), state: 'in_flight' })
      .execute();
    expect(await send(acme, { ...body, allowMultiple: true }, 'running')).toMatchObject({ status: 422 });
    expect(await send(acme, body, 'running')).toMatchObject({ status: 409, body: { code: 'IDEMPOTENCY_KEY_IN_FLIGHT' } });
  });

  it('answers 400 naming the header for a malformed key, and buys nothing', async () => {
    const acme = await seedAccount(database, 'Key malformed', 'growth');
    const res = await send(acme, { profileId: acme.profileId }, 'k'.repeat(256));
    expect(res).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', param: 'Idempotency-Key' } });
    expect(await numbersOf(acme.accountId)).toEqual([]);
  });
});
