import { AppConfig } from '@numbers/config';
import { newId } from '@numbers/domain';
import { createTestDatabase, testEnv, testRedisPrefix, type TestDatabase } from '@numbers/test-support';
import { createAccountWithKey } from '../accounts/account.repository';
import { createPaidNumber, createPurchasedNumber, PURCHASE_ACCEPTED_EVENT, type PurchasedNumberInput } from '../lifecycle/number-creation';
import { NumberLifecycle } from '../lifecycle/number-lifecycle';
import { Database } from '../database/database';
import { PhoneNumberRecords } from '../numbers/phone-number.records';
import { CHECKOUT_NOT_CREATED_REASON, PurchaseRepository } from './purchase.repository';

let db: TestDatabase;
let database: Database;
let purchases: PurchaseRepository;
let numbers: PhoneNumberRecords;

beforeAll(async () => {
  db = await createTestDatabase();
  const config = AppConfig.fromEnv(testEnv({ DATABASE_URL: db.url, REDIS_PREFIX: testRedisPrefix() }));
  database = new Database(config);
  numbers = new PhoneNumberRecords(database);
  purchases = new PurchaseRepository(database, new NumberLifecycle(database, numbers));
});

afterAll(async () => {
  await database?.destroy();
  await db?.drop();
});

const account = (planCode = 'growth') => createAccountWithKey(database, { name: 'Buyer', planCode });
const since = () => new Date(Date.now() - 10 * 60_000);
const numberRow = (id: string) => database.selectFrom('phoneNumbers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const historyOf = (id: string) => database.selectFrom('numberStatusHistory').selectAll().where('numberId', '=', id).orderBy('id').execute();
const intentsOf = (accountId: string) => database.selectFrom('purchaseIntents').selectAll().where('accountId', '=', accountId).execute();
const numbersOf = (accountId: string) => database.selectFrom('phoneNumbers').select('id').where('accountId', '=', accountId).execute();
const outboxRows = () => database.selectFrom('outbox').selectAll().orderBy('id').execute();
const billingOf = (accountId: string) => database.selectFrom('billingAccounts').selectAll().where('accountId', '=', accountId).executeTakeFirstOrThrow();
const setStatus = (id: string, status: 'released') => database.updateTable('phoneNumbers').set({ status }).where('id', '=', id).execute();
const boughtWith = async (accountId: string, purchaseIntentId: string) =>
  (await purchases.standing({ accountId, recentSince: since(), purchaseIntentId })).bought;

describe('createPurchasedNumber', () => {
  it('writes the number in pending_payment, its first history row and its intent, in the caller transaction', async () => {
    const { accountId, profileId } = await account();
    const now = new Date('2026-11-25T10:00:00.000Z');
    const number = await database.transaction().execute((tx) =>
      createPurchasedNumber(tx, {
        accountId,
        profileId,
        country: 'US',
        numberType: 'local',
        monthlyCents: 300,
        wantedPhoneNumber: '+14155550100',
        purchaseIntentId: 'intent-a',
        cause: 'req-1',
        now,
      }),
    );
    expect(await numberRow(number.id)).toMatchObject({
      status: 'pending_payment',
      paidFirst: true,
      phoneNumber: '+14155550100',
      numberType: 'local',
      version: 0,
      createdAt: now,
      updatedAt: now,
    });
    expect(await historyOf(number.id)).toEqual([
      expect.objectContaining({ fromStatus: null, toStatus: 'pending_payment', event: PURCHASE_ACCEPTED_EVENT, applied: true, actor: 'customer', cause: 'req-1', at: now }),
    ]);
    expect(await intentsOf(accountId)).toEqual([expect.objectContaining({ intentId: 'intent-a', numberId: number.id, createdAt: now })]);
    expect(await outboxRows()).toEqual([]);
  });

  it('rolls back with its transaction', async () => {
    const { accountId, profileId } = await account();
    await expect(
      database.transaction().execute(async (tx) => {
        await createPurchasedNumber(tx, { accountId, profileId, country: 'US', numberType: 'local', monthlyCents: 300, purchaseIntentId: 'x', cause: 'r' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await numbersOf(accountId)).toEqual([]);
    expect(await intentsOf(accountId)).toEqual([]);
  });
});

describe('createPaidNumber', () => {
  const outboxOf = async (numberId: string) =>
    (await outboxRows())
      .filter((row) => JSON.stringify(row.payload).includes(numberId))
      .map((row) => ({ kind: row.kind, name: row.name, payload: row.payload }));

  it("leaves what createPurchasedNumber then the lifecycle's payment_confirmed leave: number, history, intent, outbox", async () => {
    const { accountId, profileId } = await account();
    const lifecycle = new NumberLifecycle(database, new PhoneNumberRecords(database));
    const input = (intent: string): PurchasedNumberInput => ({
      accountId,
      profileId,
      country: 'GB',
      numberType: 'mobile',
      monthlyCents: 600,
      wantedPhoneNumber: '+447700900123',
      purchaseIntentId: intent,
      cause: 'req-paid',
      now: new Date(),
    });
    const viaLifecycle = await database.transaction().execute(async (tx) => {
      const number = await createPurchasedNumber(tx, input('intent-lifecycle'));
      await lifecycle.apply(number.id, 'payment_confirmed', { cause: 'req-paid', actor: 'customer' }, tx);
      return number;
    });
    const paid = await database.transaction().execute((tx) => createPaidNumber(tx, input('intent-paid')));

    const stateOf = async (id: string) => {
      const number = await numberRow(id);
      const history = await historyOf(id);
      const [born, confirmed] = history;
      // Born at the request's instant, moved on at the transition's, which stamps updated_at.
      expect(born.at).toEqual(number.createdAt);
      expect(confirmed.at.getTime()).toBeGreaterThanOrEqual(number.createdAt.getTime());
      expect(number.updatedAt).toEqual(confirmed.at);
      const outboxRows = (await outboxOf(id)).map((row) => ({ ...row, payload: JSON.parse(JSON.stringify(row.payload).replaceAll(id, '<id>')) }));
      const eventAt = outboxRows.find((row) => row.kind === 'event')?.payload.at;
      expect(eventAt).toBe(confirmed.at.toISOString());
      return {
        number: { ...number, id: '<id>', createdAt: '<at>', updatedAt: '<at>' },
        history: history.map((row) => ({ ...row, id: '<id>', numberId: '<id>', at: '<at>' })),
        intent: (await database.selectFrom('purchaseIntents').select('accountId').where('numberId', '=', id).executeTakeFirstOrThrow()).accountId,
        outbox: outboxRows.map((row) => (row.kind === 'event' ? { ...row, payload: { ...row.payload, at: '<at>' } } : row)),
      };
    };
    const expected = await stateOf(viaLifecycle.id);
    expect(expected.number).toMatchObject({ status: 'provisioning', version: 1, paidFirst: true, phoneNumber: '+447700900123' });
    expect(expected.history.map((h) => [h.fromStatus, h.toStatus, h.event])).toEqual([
      [null, 'pending_payment', PURCHASE_ACCEPTED_EVENT],
      ['pending_payment', 'provisioning', 'payment_confirmed'],
    ]);
    expect(expected.outbox.map((row) => [row.kind, row.name])).toEqual([
      ['job', 'order-number'],
      ['job', 'sync-subscription-quantity'],
      ['event', 'number.status_changed'],
    ]);
    expect(await stateOf(paid.id)).toEqual(expected);
  });

  it('rolls back with its transaction, outbox rows included', async () => {
    const { accountId, profileId } = await account();
    const outboxBefore = (await outboxRows()).length;
    await expect(
      database.transaction().execute(async (tx) => {
        await createPaidNumber(tx, { accountId, profileId, country: 'US', numberType: 'local', monthlyCents: 300, purchaseIntentId: 'x', cause: 'r' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await numbersOf(accountId)).toEqual([]);
    expect(await intentsOf(accountId)).toEqual([]);
    expect(await outboxRows()).toHaveLength(outboxBefore);
  });
});

describe('PurchaseRepository', () => {
  it('standing: live numbers, recent purchases (not undone ones), a pending checkout, billing ids', async () => {
    const { accountId, profileId } = await account();
    const standing = () => purchases.standing({ accountId, recentSince: since() });
    expect(await standing()).toEqual({
      bought: null,
      liveNumbers: 0,
      recentPurchase: false,
      checkoutPending: false,
      phoneNumberHeld: false,
      stripeCustomerId: null,
      stripeSubscriptionId: null,
    });
    const old = new Date(Date.now() - 3600_000);
    const base = { accountId, profileId, country: 'US', monthlyCents: 300 };
    await database
      .insertInto('phoneNumbers')
      .values([
        { ...base, id: newId(old), status: 'active', createdAt: old },
        { ...base, id: newId(old), status: 'released', createdAt: old },
        { ...base, id: newId(), status: 'released', failureReason: CHECKOUT_NOT_CREATED_REASON },
      ])
      .execute();
    expect(await standing()).toMatchObject({ liveNumbers: 1, recentPurchase: false, checkoutPending: false });
    await database.insertInto('phoneNumbers').values({ ...base, id: newId(), status: 'pending_payment' }).execute();
    await database.insertInto('billingAccounts').values({ accountId, stripeCustomerId: `cus_${accountId}` }).execute();
    expect(await standing()).toEqual({
      bought: null,
      liveNumbers: 2,
      recentPurchase: true,
      checkoutPending: true,
      phoneNumberHeld: false,
      stripeCustomerId: `cus_${accountId}`,
      stripeSubscriptionId: null,
    });
    await database.updateTable('billingAccounts').set({ stripeSubscriptionId: 'sub_1', subscriptionStatus: 'active' }).where('accountId', '=', accountId).execute();
    expect(await standing()).toMatchObject({ stripeSubscriptionId: 'sub_1' });
    // A subscription that ended takes no more numbers: the next purchase starts a new Checkout.
    await database.updateTable('billingAccounts').set({ subscriptionStatus: 'canceled' }).where('accountId', '=', accountId).execute();
    expect(await standing()).toMatchObject({ stripeSubscriptionId: null, stripeCustomerId: `cus_${accountId}` });
  });

  it('standing: the number an intent id bought (this account only) and whether an exact number is held', async () => {
    const { accountId, profileId } = await account();
    const other = await account();
    const createdAt = new Date(Date.now() - 1000);
    const number = await database.transaction().execute((tx) =>
      createPurchasedNumber(tx, { accountId, profileId, country: 'US', numberType: 'local', monthlyCents: 300, wantedPhoneNumber: '+14155550142', purchaseIntentId: 'intent-a', cause: 'r', now: createdAt }),
    );
    // pending_payment without a Checkout Session (its creation and the undo failed): to resume.
    expect(await boughtWith(accountId, 'intent-a')).toEqual({ numberId: number.id, phoneNumber: '+14155550142', checkoutToResume: { createdAt, monthlyCents: 300 } });
    await numbers.recordCheckoutSession(number.id, 'cs_a');
    expect(await boughtWith(accountId, 'intent-a')).toEqual({ numberId: number.id, phoneNumber: '+14155550142', checkoutToResume: null });
    expect(await boughtWith(accountId, 'intent-b')).toBeNull();
    expect(await boughtWith(other.accountId, 'intent-a')).toBeNull();
    const held = (phoneNumber: string) => purchases.standing({ accountId: other.accountId, recentSince: since(), phoneNumber }).then((s) => s.phoneNumberHeld);
    expect(await held('+14155550142')).toBe(true);
    expect(await held('+14155550143')).toBe(false);
    await setStatus(number.id, 'released');
    expect(await held('+14155550142')).toBe(false);
    // In the caller's transaction too.
    expect(await database.transaction().execute((tx) => purchases.standing({ accountId, recentSince: since(), purchaseIntentId: 'intent-a' }, tx))).toMatchObject({
      bought: { numberId: number.id, phoneNumber: '+14155550142', checkoutToResume: null },
      liveNumbers: 0,
      recentPurchase: true,
    });
  });

  it('saveStripeCustomer keeps the customer stored first', async () => {
    const { accountId } = await account();
    expect(await purchases.saveStripeCustomer(accountId, 'cus_first')).toBe('cus_first');
    expect(await purchases.saveStripeCustomer(accountId, 'cus_second')).toBe('cus_first');
    expect(await billingOf(accountId)).toMatchObject({ stripeCustomerId: 'cus_first', stripeSubscriptionId: null });
  });

  it('loadAccount tells whether the profile is the account\'s; underAccountLock makes a second transaction of the account wait', async () => {
    const { accountId, profileId } = await account('starter');
    const other = await account();
    const expected = { id: accountId, name: 'Buyer', planCode: 'starter', maxNumbers: 1, profileFound: true };
    expect(await purchases.loadAccount(accountId, profileId)).toEqual(expected);
    expect(await purchases.loadAccount(accountId, other.profileId)).toMatchObject({ profileFound: false });
    expect(await purchases.loadAccount(newId(), profileId)).toBeNull();
    const order: string[] = [];
    let releaseFirst!: () => void;
    const held = new Promise<void>((resolve) => (releaseFirst = resolve));
    let locked!: () => void;
    const firstLocked = new Promise<void>((resolve) => (locked = resolve));
    const first = purchases.underAccountLock(accountId, profileId, async (locking) => {
      expect(locking).toEqual(expected);
      locked();
      await held;
      order.push('first done');
    });
    await firstLocked;
    const second = purchases.underAccountLock(accountId, profileId, async () => {
      order.push('second locked');
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(order).toEqual([]);
    releaseFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(['first done', 'second locked']);
  });

  it('the Checkout Session is recorded once (PhoneNumberRecords.recordCheckoutSession), and undoWithoutCheckout', async () => {
    const { accountId, profileId } = await account();
    const number = await database.transaction().execute((tx) =>
      createPurchasedNumber(tx, { accountId, profileId, country: 'US', numberType: 'local', monthlyCents: 300, wantedPhoneNumber: '+14155550199', purchaseIntentId: 'i', cause: 'r' }),
    );
    expect(await numbers.recordCheckoutSession(number.id, 'cs_1')).toBe(true);
    expect(await numbers.recordCheckoutSession(number.id, 'cs_2')).toBe(false);
    // The same session again (racing retries of one purchase) is recorded already.
    expect(await numbers.recordCheckoutSession(number.id, 'cs_1')).toBe(true);
    expect(await numberRow(number.id)).toMatchObject({ stripeCheckoutSessionId: 'cs_1', version: 0 });
    // A number no longer waiting for its payment (undone by the sweep) takes no session.
    const undone = await database.transaction().execute((tx) =>
      createPurchasedNumber(tx, { accountId, profileId, country: 'US', numberType: 'local', monthlyCents: 300, wantedPhoneNumber: null, purchaseIntentId: null, cause: 'r' }),
    );
    await setStatus(undone.id, 'released');
    expect(await numbers.recordCheckoutSession(undone.id, 'cs_3')).toBe(false);
    expect(await numberRow(undone.id)).toMatchObject({ stripeCheckoutSessionId: null });
    await purchases.undoWithoutCheckout(accountId, number.id);
    expect(await boughtWith(accountId, 'i')).toBeNull();
    expect(await numberRow(number.id)).toMatchObject({ status: 'released', failureReason: CHECKOUT_NOT_CREATED_REASON });
  });

  it('finds countries and profiles of the account', async () => {
    const { accountId, profileId } = await account();
    const other = await account();
    const de = await purchases.findCountry('DE');
    expect(de).toMatchObject({ code: 'DE', tier: 3, monthlyCents: 900, needsKyc: true, available: true, defaultNumberType: 'local' });
    // Through the pool or in a transaction, the same values as the table's.
    const model = await database
      .selectFrom('countries')
      .select(['code', 'tier', 'monthlyCents', 'needsKyc', 'available', 'defaultNumberType', 'kycRequirements'])
      .where('code', '=', 'DE')
      .executeTakeFirstOrThrow();
    expect(de).toEqual(model);
    expect(await database.transaction().execute((tx) => purchases.findCountry('DE', tx))).toEqual(model);
    expect(await purchases.findCountry('ZZ')).toBeNull();
    expect(await purchases.isProfileOf(accountId, profileId)).toBe(true);
    expect(await purchases.isProfileOf(accountId, other.profileId)).toBe(false);
  });
});
