import { AppConfig } from '@numbers/config';
import { newId, type NumberStatus } from '@numbers/domain';
import { createTestDatabase, testEnv, testRedisPrefix, type TestDatabase } from '@numbers/test-support';
import { createAccountWithKey } from '../accounts/account.repository';
import { Database } from '../database/database';
import type { NewPhoneNumber } from '../database/rows';
import { AccountNumberRecords } from './account-number.records';
import { PhoneNumberRecords } from './phone-number.records';

let db: TestDatabase;
let database: Database;
let numbers: PhoneNumberRecords;
let accountNumbers: AccountNumberRecords;

beforeAll(async () => {
  db = await createTestDatabase();
  database = new Database(AppConfig.fromEnv(testEnv({ DATABASE_URL: db.url, REDIS_PREFIX: testRedisPrefix() })));
  numbers = new PhoneNumberRecords(database);
  accountNumbers = new AccountNumberRecords(database);
});

afterAll(async () => {
  await database?.destroy();
  await db?.drop();
});

async function addNumber(accountId: string, profileId: string, status: NumberStatus, extra: Partial<NewPhoneNumber> = {}): Promise<string> {
  const id = newId();
  await database.insertInto('phoneNumbers').values({ id, accountId, profileId, status, country: 'US', monthlyCents: 300, ...extra }).execute();
  return id;
}

describe('PhoneNumberRecords: the fields that are no state change', () => {
  it('keeps the first phone number and requirement group stored, and bumps no version', async () => {
    const { accountId, profileId } = await createAccountWithKey(database, { name: 'A', planCode: 'scale' });
    const id = await addNumber(accountId, profileId, 'provisioning');

    expect(await numbers.keepPhoneNumber(id, '+14155550101')).toBe('+14155550101');
    expect(await numbers.keepPhoneNumber(id, '+14155550102')).toBe('+14155550101');
    await numbers.recordRequirementGroup(id, 'rg_1');
    await numbers.recordRequirementGroup(id, 'rg_2');

    expect(await numbers.byId(id)).toMatchObject({ phoneNumber: '+14155550101', requirementGroupId: 'rg_1', version: 0 });
    expect((await numbers.byRequirementGroup('rg_1'))?.id).toBe(id);
    expect(await numbers.byRequirementGroup('rg_2')).toBeNull();
  });

  it('claims a WhatsApp code request once for the count read, and takes back a withdrawn claim', async () => {
    const { accountId, profileId } = await createAccountWithKey(database, { name: 'C', planCode: 'scale' });
    const id = await addNumber(accountId, profileId, 'verifying');
    const read = await numbers.byId(id);
    if (!read) throw new Error('no number');

    // Two runs that read the number alike: the first claims, the second does not.
    expect(await numbers.claimCodeRequest(read, 'NOT_VERIFIED')).toBe(true);
    expect(await numbers.claimCodeRequest(read, 'NOT_VERIFIED')).toBe(false);
    const claimed = await numbers.byId(id);
    expect(claimed).toMatchObject({ metaVerificationStatus: 'NOT_VERIFIED', whatsappCodeRequests: 1, whatsappCodeRequestedAt: expect.any(Date), version: 0 });

    // Meta failed that request: the fields as read before it.
    await numbers.withdrawCodeRequest(read, 'NOT_VERIFIED');
    expect(await numbers.byId(id)).toMatchObject({ metaVerificationStatus: null, whatsappCodeRequests: 0, whatsappCodeRequestedAt: null });

    // A claim on the number as it is now; a withdrawal of an older one changes nothing.
    expect(await numbers.claimCodeRequest(read, 'NOT_VERIFIED')).toBe(true);
    const again = await numbers.byId(id);
    if (!again) throw new Error('no number');
    expect(await numbers.claimCodeRequest(again, 'NOT_VERIFIED')).toBe(true);
    await numbers.withdrawCodeRequest(read, 'NOT_VERIFIED');
    expect(await numbers.byId(id)).toMatchObject({ whatsappCodeRequests: 2 });

    // No claim on a number no longer verifying.
    const released = await addNumber(accountId, profileId, 'released');
    const gone = await numbers.byId(released);
    if (!gone) throw new Error('no number');
    expect(await numbers.claimCodeRequest(gone, 'NOT_VERIFIED')).toBe(false);
  });

  it('finds a live number by its WhatsApp id, never a released one', async () => {
    const { accountId, profileId } = await createAccountWithKey(database, { name: 'B', planCode: 'scale' });
    await addNumber(accountId, profileId, 'released', { metaPhoneNumberId: 'meta_1' });
    expect(await numbers.liveByMetaPhoneNumberId('meta_1')).toBeNull();
    const live = await addNumber(accountId, profileId, 'active', { metaPhoneNumberId: 'meta_1' });
    expect(await numbers.liveByMetaPhoneNumberId('meta_1')).toEqual({ id: live, accountId });
  });

  it('reads a number with what its job needs: the review rule of its country, its account name', async () => {
    const { accountId, profileId } = await createAccountWithKey(database, { name: 'Acme GmbH', planCode: 'scale' });
    const de = await addNumber(accountId, profileId, 'provisioning', { country: 'DE' });
    const nowhere = await addNumber(accountId, profileId, 'provisioning', { country: 'ZZ' });
    expect(await numbers.forOrder(de)).toMatchObject({ id: de, needsReview: true });
    expect(await numbers.forOrder(nowhere)).toMatchObject({ id: nowhere, needsReview: false });
    expect(await numbers.forRegistration(de)).toMatchObject({ id: de, businessName: 'Acme GmbH' });
    expect(await numbers.forOrder(newId())).toBeNull();
  });
});

describe('AccountNumberRecords', () => {
  it("reads the account's numbers by status and price, and whether one of a country is in review", async () => {
    const { accountId, profileId } = await createAccountWithKey(database, { name: 'C', planCode: 'scale' });
    const other = await createAccountWithKey(database, { name: 'D', planCode: 'scale' });
    const active = await addNumber(accountId, profileId, 'active', { monthlyCents: 300 });
    const suspended = await addNumber(accountId, profileId, 'suspended', { monthlyCents: 500 });
    const released = await addNumber(accountId, profileId, 'released', { monthlyCents: 300 });
    await addNumber(other.accountId, other.profileId, 'active');

    expect(await accountNumbers.idsOf(accountId, ['active'])).toEqual([active]);
    expect(await accountNumbers.idsOf(accountId, ['released'], { not: true })).toEqual([active, suspended].sort());
    expect(await accountNumbers.monthlyCentsOf(accountId)).toEqual(
      new Map([
        [active, 300],
        [suspended, 500],
        [released, 300],
      ]),
    );
    expect(await accountNumbers.hasPendingReview(accountId, 'DE')).toBe(false);
    await addNumber(accountId, profileId, 'pending_regulatory', { country: 'DE' });
    expect(await accountNumbers.hasPendingReview(accountId, 'DE')).toBe(true);
    expect(await accountNumbers.hasPendingReview(other.accountId, 'DE')).toBe(false);
  });
});
