import { generateApiKey, newId } from '@numbers/domain';
import type { Kysely } from 'kysely';

/**
 * The tables written here, as persistence's generated schema names them: test-support may not
 * import persistence (whose tests use test-support), and persistence's `Database` fits this type.
 */
interface AccountTables {
  accounts: { id: string; name: string; planCode: string };
  profiles: { id: string; accountId: string; name: string };
  apiKeys: { id: string; accountId: string; name: string; prefix: string; keyHash: string };
}

/** Persistence's `Database`, or any Kysely over the same schema. */
export type TestAccountDatabase = Kysely<AccountTables>;

export interface TestAccountOptions {
  name?: string;
  planCode?: string;
  profileName?: string;
}

export interface TestAccountWithKey {
  accountId: string;
  profileId: string;
  /** The whole key, for the SDK's `apiKey`. */
  apiKey: string;
}

/** An account with its one profile (`main` unless named), as sign-up leaves it. */
export async function createTestAccount(
  db: TestAccountDatabase,
  { name = 'Acme', planCode = 'scale', profileName = 'main' }: TestAccountOptions = {},
): Promise<{ accountId: string; profileId: string }> {
  const [accountId, profileId] = [newId(), newId()];
  await db.insertInto('accounts').values({ id: accountId, name, planCode }).execute();
  await db.insertInto('profiles').values({ id: profileId, accountId, name: profileName }).execute();
  return { accountId, profileId };
}

/** An account as the CLI's `account:create` leaves it (a `Default` profile unless named), with an API key. */
export async function createTestAccountWithKey(db: TestAccountDatabase, options: TestAccountOptions = {}): Promise<TestAccountWithKey> {
  const account = await createTestAccount(db, { profileName: 'Default', ...options });
  const { key, prefix, hash } = generateApiKey();
  await db.insertInto('apiKeys').values({ id: newId(), accountId: account.accountId, name: 'default', prefix, keyHash: hash }).execute();
  return { ...account, apiKey: key };
}

/** A further profile of an account. */
export async function createTestProfile(db: TestAccountDatabase, accountId: string, name: string): Promise<{ profileId: string }> {
  const profileId = newId();
  await db.insertInto('profiles').values({ id: profileId, accountId, name }).execute();
  return { profileId };
}
