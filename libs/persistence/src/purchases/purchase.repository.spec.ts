import { AppConfig } from '@numbers/config';
import { newId } from '@numbers/domain';
import { createTestDatabase, testEnv, testRedisPrefix, type TestDatabase } from '@numbers/test-support';
import { createAccountWithKey } from '../accounts/account.repository';
import { createPurchasedNumber, PURCHASE_ACCEPTED_EVENT } from '../lifecycle/number-creation';
import { PrismaService } from '../prisma/prisma.service';
import { CHECKOUT_NOT_CREATED_REASON, PurchaseRepository } from './purchase.repository';

let db: TestDatabase;
let prisma: PrismaService;
let purchases: PurchaseRepository;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = new PrismaService(AppConfig.fromEnv(testEnv({ DATABASE_URL: db.url, REDIS_PREFIX: testRedisPrefix() })));
  await prisma.$connect();
  purchases = new PurchaseRepository(prisma);
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

const account = (planCode = 'growth') => createAccountWithKey(prisma, { name: 'Buyer', planCode });

describe('createPurchasedNumber', () => {
  it('writes the number in pending_payment, its first history row and its intent, in the caller transaction', async () => {
    const { accountId, profileId } = await account();
    const now = new Date('2026-11-25T10:00:00.000Z');
    const number = await prisma.$transaction((tx) =>
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
    expect(number).toMatchObject({ status: 'pending_payment', paidFirst: true, phoneNumber: '+14155550100', version: 0, createdAt: now });
    expect(await prisma.numberStatusHistory.findMany({ where: { numberId: number.id } })).toEqual([
      expect.objectContaining({ fromStatus: null, toStatus: 'pending_payment', event: PURCHASE_ACCEPTED_EVENT, applied: true, actor: 'customer', cause: 'req-1', at: now }),
    ]);
    expect(await purchases.findIntent(prisma, accountId, 'intent-a')).toEqual({ numberId: number.id, phoneNumber: '+14155550100' });
    expect(await purchases.findIntent(prisma, accountId, 'intent-b')).toBeNull();
  });

  it('rolls back with its transaction', async () => {
    const { accountId, profileId } = await account();
    await expect(
      prisma.$transaction(async (tx) => {
        await createPurchasedNumber(tx, { accountId, profileId, country: 'US', numberType: 'local', monthlyCents: 300, purchaseIntentId: 'x', cause: 'r' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await prisma.phoneNumber.count({ where: { accountId } })).toBe(0);
    expect(await prisma.purchaseIntent.count({ where: { accountId } })).toBe(0);
  });
});

describe('PurchaseRepository', () => {
  it('standing: live numbers, recent purchases (not undone ones), a pending checkout, billing ids', async () => {
    const { accountId, profileId } = await account();
    const since = new Date(Date.now() - 10 * 60_000);
    expect(await purchases.standing(prisma, accountId, since)).toEqual({
      liveNumbers: 0,
      recentPurchase: false,
      checkoutPending: false,
      stripeCustomerId: null,
      stripeSubscriptionId: null,
    });
    const old = new Date(Date.now() - 3600_000);
    const base = { accountId, profileId, country: 'US', monthlyCents: 300 };
    await prisma.phoneNumber.createMany({
      data: [
        { ...base, id: newId(old), status: 'active', createdAt: old },
        { ...base, id: newId(old), status: 'released', createdAt: old },
        { ...base, id: newId(), status: 'released', failureReason: CHECKOUT_NOT_CREATED_REASON },
      ],
    });
    expect(await purchases.standing(prisma, accountId, since)).toMatchObject({ liveNumbers: 1, recentPurchase: false, checkoutPending: false });
    await prisma.phoneNumber.create({ data: { ...base, id: newId(), status: 'pending_payment' } });
    await prisma.billingAccount.create({ data: { accountId, stripeCustomerId: `cus_${accountId}` } });
    expect(await purchases.standing(prisma, accountId, since)).toEqual({
      liveNumbers: 2,
      recentPurchase: true,
      checkoutPending: true,
      stripeCustomerId: `cus_${accountId}`,
      stripeSubscriptionId: null,
    });
    await prisma.billingAccount.update({ where: { accountId }, data: { stripeSubscriptionId: 'sub_1', subscriptionStatus: 'active' } });
    expect(await purchases.standing(prisma, accountId, since)).toMatchObject({ stripeSubscriptionId: 'sub_1' });
    // A subscription that ended takes no more numbers: the next purchase starts a new Checkout.
    await prisma.billingAccount.update({ where: { accountId }, data: { subscriptionStatus: 'canceled' } });
    expect(await purchases.standing(prisma, accountId, since)).toMatchObject({ stripeSubscriptionId: null, stripeCustomerId: `cus_${accountId}` });
  });

  it('saveStripeCustomer keeps the customer stored first', async () => {
    const { accountId } = await account();
    expect(await purchases.saveStripeCustomer(accountId, 'cus_first')).toBe('cus_first');
    expect(await purchases.saveStripeCustomer(accountId, 'cus_second')).toBe('cus_first');
    expect(await prisma.billingAccount.findUniqueOrThrow({ where: { accountId } })).toMatchObject({ stripeCustomerId: 'cus_first', stripeSubscriptionId: null });
  });

  it('loadAccount with lock makes a second transaction of the account wait', async () => {
    const { accountId } = await account('starter');
    expect(await purchases.loadAccount(prisma, accountId, { lock: false })).toEqual({ id: accountId, name: 'Buyer', planCode: 'starter', maxNumbers: 1 });
    const order: string[] = [];
    let releaseFirst!: () => void;
    const held = new Promise<void>((resolve) => (releaseFirst = resolve));
    let locked!: () => void;
    const firstLocked = new Promise<void>((resolve) => (locked = resolve));
    const first = prisma.$transaction(async (tx) => {
      await purchases.loadAccount(tx, accountId, { lock: true });
      locked();
      await held;
      order.push('first done');
    });
    await firstLocked;
    const second = prisma.$transaction(async (tx) => {
      await purchases.loadAccount(tx, accountId, { lock: true });
      order.push('second locked');
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(order).toEqual([]);
    releaseFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(['first done', 'second locked']);
  });

  it('isPhoneNumberHeld, recordCheckoutSession (once) and forgetIntent', async () => {
    const { accountId, profileId } = await account();
    const number = await prisma.$transaction((tx) =>
      createPurchasedNumber(tx, { accountId, profileId, country: 'US', numberType: 'local', monthlyCents: 300, wantedPhoneNumber: '+14155550199', purchaseIntentId: 'i', cause: 'r' }),
    );
    expect(await purchases.isPhoneNumberHeld(prisma, '+14155550199')).toBe(true);
    expect(await purchases.isPhoneNumberHeld(prisma, '+14155550198')).toBe(false);
    expect(await purchases.recordCheckoutSession(number.id, 'cs_1')).toBe(true);
    expect(await purchases.recordCheckoutSession(number.id, 'cs_2')).toBe(false);
    expect(await prisma.phoneNumber.findUniqueOrThrow({ where: { id: number.id } })).toMatchObject({ stripeCheckoutSessionId: 'cs_1', version: 0 });
    // A number no longer waiting for its payment (undone by the sweep) takes no session.
    const undone = await prisma.$transaction((tx) =>
      createPurchasedNumber(tx, { accountId, profileId, country: 'US', numberType: 'local', monthlyCents: 300, wantedPhoneNumber: null, purchaseIntentId: null, cause: 'r' }),
    );
    await prisma.phoneNumber.update({ where: { id: undone.id }, data: { status: 'released' } });
    expect(await purchases.recordCheckoutSession(undone.id, 'cs_3')).toBe(false);
    expect(await prisma.phoneNumber.findUniqueOrThrow({ where: { id: undone.id } })).toMatchObject({ stripeCheckoutSessionId: null });
    await prisma.$transaction((tx) => purchases.forgetIntent(tx, accountId, number.id));
    expect(await purchases.findIntent(prisma, accountId, 'i')).toBeNull();
  });

  it('finds countries and profiles of the account', async () => {
    const { accountId, profileId } = await account();
    const other = await account();
    expect(await purchases.findCountry('DE')).toMatchObject({ code: 'DE', tier: 3, monthlyCents: 900, needsKyc: true, available: true, defaultNumberType: 'local' });
    expect(await purchases.findCountry('ZZ')).toBeNull();
    expect(await purchases.isProfileOf(accountId, profileId)).toBe(true);
    expect(await purchases.isProfileOf(accountId, other.profileId)).toBe(false);
  });
});
