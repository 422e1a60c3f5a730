import { AppConfig } from '@numbers/config';
import { listViewFor, newId, type NumberStatus } from '@numbers/domain';
import { createTestDatabase, testEnv, testRedisPrefix, type TestDatabase } from '@numbers/test-support';
import { sql } from 'kysely';
import { createAccountWithKey, createProfile } from '../accounts/account.repository';
import { Database } from '../database/database';
import type { NewPhoneNumber } from '../database/rows';
import { PhoneNumberReadRepository, phoneNumberListQuery, type PhoneNumberListFilter } from './phone-number-read.repository';

const LIST_INDEX = 'phone_numbers_account_id_status_created_at_id_idx';
const DAY = 24 * 3600 * 1000;

let db: TestDatabase;
let database: Database;
let repo: PhoneNumberReadRepository;

beforeAll(async () => {
  db = await createTestDatabase();
  database = new Database(AppConfig.fromEnv(testEnv({ DATABASE_URL: db.url, REDIS_PREFIX: testRedisPrefix() })));
  repo = new PhoneNumberReadRepository(database);
});

afterAll(async () => {
  await database?.destroy();
  await db?.drop();
});

async function addNumber(accountId: string, profileId: string, status: NumberStatus, createdAt: Date, extra: Partial<NewPhoneNumber> = {}) {
  const id = newId(createdAt);
  await database
    .insertInto('phoneNumbers')
    .values({ id, accountId, profileId, status, country: 'US', monthlyCents: 300, createdAt, phoneNumber: `+1415${Math.floor(Math.random() * 1e7).toString().padStart(7, '0')}`, ...extra })
    .execute();
  return id;
}

describe('PhoneNumberReadRepository', () => {
  it('selects a view newest first, scoped to the account and profile, declined ones only within the window', async () => {
    const now = new Date();
    const a = await createAccountWithKey(database, { name: 'A', planCode: 'scale' });
    const { profileId: second } = await createProfile(database, a.accountId, 'Second');
    const b = await createAccountWithKey(database, { name: 'B', planCode: 'scale' });
    const t = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000);
    const pending = await addNumber(a.accountId, a.profileId, 'pending_regulatory', t(5));
    const recentDecline = await addNumber(a.accountId, second, 'regulatory_declined', t(4), {
      regulatoryDeclinedAt: new Date(now.getTime() - 10 * DAY),
      regulatoryDeclineReason: 'blurry ID',
    });
    await addNumber(a.accountId, a.profileId, 'regulatory_declined', t(3), { regulatoryDeclinedAt: new Date(now.getTime() - 40 * DAY) });
    const active = await addNumber(a.accountId, second, 'active', t(2));
    await addNumber(a.accountId, a.profileId, 'released', t(1));
    await addNumber(b.accountId, b.profileId, 'pending_regulatory', t(0));

    const ids = async (filter: Omit<PhoneNumberListFilter, 'accountId'>) =>
      (await repo.list({ accountId: a.accountId, ...filter })).map((r) => r.id);
    const view = (status?: NumberStatus) => {
      const v = listViewFor(status, now);
      return { statuses: v.statuses, declinedSince: v.declinedSince };
    };
    expect(await ids(view('pending_regulatory'))).toEqual([recentDecline, pending]);
    expect(await ids({ ...view('pending_regulatory'), profileId: second })).toEqual([recentDecline]);
    expect(await ids(view('active'))).toEqual([active]);
    expect((await ids(view())).length).toBe(4);

    expect(await repo.withNumberLocked(a.accountId, recentDecline, async (number) => number)).toEqual({
      id: recentDecline,
      status: 'regulatory_declined',
      country: 'US',
      numberType: 'local',
      endUserFirstName: null,
      endUserLastName: null,
    });
    expect(await repo.withNumberLocked(b.accountId, recentDecline, async (number) => number)).toBeNull();

    const row = await repo.findForAccount(a.accountId, recentDecline);
    expect(row).toMatchObject({ status: 'regulatory_declined', profileId: second, profileName: 'Second', regulatoryDeclineReason: 'blurry ID' });
    expect(row?.createdAt).toBeInstanceOf(Date);
    expect(await repo.findForAccount(b.accountId, recentDecline)).toBeNull();
  });

  it('reads the list views through an account index, status views through (account_id, status, created_at, id)', async () => {
    // 200 accounts x 100 numbers bought over time, and one account that bought 300 at once,
    // so the planner has a reason to choose an index.
    await sql`
      INSERT INTO accounts (id, name, plan_code) SELECT 'e' || lpad(to_hex(a), 23, '0'), 'bulk', 'scale' FROM generate_series(1, 201) a`.execute(database);
    await sql`
      INSERT INTO profiles (id, account_id, name) SELECT 'f' || lpad(to_hex(a), 23, '0'), 'e' || lpad(to_hex(a), 23, '0'), 'p' FROM generate_series(1, 201) a`.execute(database);
    await sql`
      INSERT INTO phone_numbers (id, account_id, profile_id, country, status, monthly_cents, regulatory_declined_at, created_at)
      SELECT 'd' || lpad(to_hex(i), 23, '0'), 'e' || lpad(to_hex(1 + i % 200), 23, '0'), 'f' || lpad(to_hex(1 + i % 200), 23, '0'), 'US',
             (enum_range(NULL::"NumberStatus"))[1 + i % 9], 300,
             CASE WHEN i % 9 = 3 THEN now() - ((i % 60) || ' days')::interval END, now() - (i || ' seconds')::interval
      FROM generate_series(1, 20000) i`.execute(database);
    await sql`
      INSERT INTO phone_numbers (id, account_id, profile_id, country, status, monthly_cents, created_at)
      SELECT 'c' || lpad(to_hex(i), 23, '0'), 'e' || lpad(to_hex(201), 23, '0'), 'f' || lpad(to_hex(201), 23, '0'), 'US',
             (CASE WHEN i % 10 = 0 THEN 'suspended' ELSE 'active' END)::"NumberStatus", 300, now() - (i || ' hours')::interval
      FROM generate_series(1, 300) i`.execute(database);
    await sql`ANALYZE`.execute(database);

    const now = new Date();
    const planOf = async (accountId: string, status?: NumberStatus) => {
      const view = listViewFor(status, now);
      const list = phoneNumberListQuery({ accountId, statuses: view.statuses, declinedSince: view.declinedSince });
      const { rows } = await sql<{ 'QUERY PLAN': unknown }>`EXPLAIN (FORMAT JSON) ${list}`.execute(database.withoutPlugins());
      return JSON.stringify(rows[0]['QUERY PLAN']);
    };
    const seqScanOfNumbers = /"Node Type":"Seq Scan"[^{}]*"Relation Name":"phone_numbers"/;
    const accountIndex = /"Index Name":"phone_numbers_account_id_[a-z_]+_idx"/;
    for (const accountId of ['e' + (7).toString(16).padStart(23, '0'), 'e' + (201).toString(16).padStart(23, '0')]) {
      for (const status of [undefined, 'active', 'pending_regulatory', 'released'] as const) {
        const plan = await planOf(accountId, status);
        expect({ status, seqScan: seqScanOfNumbers.test(plan), accountIndex: accountIndex.test(plan) }).toEqual({
          status,
          seqScan: false,
          accountIndex: true,
        });
        if (status) expect({ status, listIndex: plan.includes(LIST_INDEX) }).toEqual({ status, listIndex: true });
      }
    }
    // The default view (8 of 9 states) may also be read through the smaller account index at
    // this size; on the 1M-row benchmark data it reads the list index (see the gateway report).
  });
});
