import { AppConfig } from '@numbers/config';
import { DomainError, hashApiKey, parseApiKey } from '@numbers/domain';
import { createTestDatabase, testEnv, testRedisPrefix, type TestDatabase } from '@numbers/test-support';
import { Database } from '../database/database';
import { AccountRepository, createAccountWithKey } from './account.repository';
import { API_KEY_LAST_USED_RESOLUTION_MS, ApiKeyRepository } from './api-key.repository';

let db: TestDatabase;
let database: Database;
let accounts: AccountRepository;
let apiKeys: ApiKeyRepository;

beforeAll(async () => {
  db = await createTestDatabase();
  database = new Database(AppConfig.fromEnv(testEnv({ DATABASE_URL: db.url, REDIS_PREFIX: testRedisPrefix() })));
  accounts = new AccountRepository(database);
  apiKeys = new ApiKeyRepository(database);
});

afterAll(async () => {
  await database?.destroy();
  await db?.drop();
});

const accountCount = async () => (await database.selectFrom('accounts').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n;

describe('createAccountWithKey', () => {
  it('creates the account on its plan, its first profile and its first key, storing only the hash', async () => {
    const created = await createAccountWithKey(database, { name: 'Acme', planCode: 'growth' });
    const account = await database.selectFrom('accounts').selectAll().where('id', '=', created.accountId).executeTakeFirstOrThrow();
    expect(account).toMatchObject({ name: 'Acme', planCode: 'growth' });
    const profiles = await database.selectFrom('profiles').selectAll().where('accountId', '=', created.accountId).execute();
    expect(profiles).toEqual([expect.objectContaining({ id: created.profileId, name: 'Default' })]);
    const keys = await database.selectFrom('apiKeys').selectAll().where('accountId', '=', created.accountId).execute();
    expect(keys).toHaveLength(1);
    const [key] = keys;
    expect(key.prefix).toBe(parseApiKey(created.apiKey));
    expect(key.keyHash).toBe(hashApiKey(created.apiKey));
    expect(JSON.stringify(key)).not.toContain(created.apiKey.split('_')[2]);
  });

  it('rejects an unknown plan naming planCode and leaves nothing behind', async () => {
    const before = await accountCount();
    const failure = await accounts.createAccountWithKey({ name: 'Nope', planCode: 'platinum' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DomainError);
    expect(failure).toMatchObject({ code: 'VALIDATION_FAILED', extra: { param: 'planCode' } });
    expect(await accountCount()).toBe(before);
  });

  it('joins the caller transaction: a later failure rolls the account back too', async () => {
    const before = await accountCount();
    await expect(
      database.transaction().execute(async (tx) => {
        await accounts.createAccountWithKey({ name: 'Rolled back', planCode: 'starter' }, tx);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await accountCount()).toBe(before);
  });
});

describe('ApiKeyRepository', () => {
  it('finds an active key by prefix, and no longer once revoked (by prefix, id or whole key)', async () => {
    const { accountId } = await accounts.createAccountWithKey({ name: 'Keys', planCode: 'starter' });
    for (const revokeBy of ['prefix', 'id', 'key'] as const) {
      const created = await apiKeys.createKey(accountId, `key-${revokeBy}`);
      const found = await apiKeys.findActiveByPrefix(created.prefix);
      expect(found).toMatchObject({ id: created.id, accountId, keyHash: hashApiKey(created.apiKey), lastUsedAt: null });
      const handle = revokeBy === 'prefix' ? created.prefix : revokeBy === 'id' ? created.id : created.apiKey;
      expect(await apiKeys.revokeKey(handle)).toBe(true);
      expect(await apiKeys.revokeKey(handle)).toBe(false);
      expect(await apiKeys.findActiveByPrefix(created.prefix)).toBeNull();
    }
    expect(await apiKeys.revokeKey('unknownprefx')).toBe(false);
  });

  it('writes last_used_at at most once a minute per key', async () => {
    const { accountId } = await accounts.createAccountWithKey({ name: 'Usage', planCode: 'starter' });
    const key = await apiKeys.createKey(accountId);
    const t0 = new Date('2026-11-25T10:00:00.000Z');
    const load = async () => {
      const found = await apiKeys.findActiveByPrefix(key.prefix);
      if (!found) throw new Error('key not found');
      return found;
    };

    expect(await apiKeys.recordUse(await load(), t0)).toBe(true);
    expect((await load()).lastUsedAt).toEqual(t0);
    // Within the minute: no query for a key loaded after the write, no write for a stale copy.
    const within = new Date(t0.getTime() + API_KEY_LAST_USED_RESOLUTION_MS - 1);
    expect(await apiKeys.recordUse(await load(), within)).toBe(false);
    expect(await apiKeys.recordUse({ id: key.id, lastUsedAt: null }, within)).toBe(false);
    expect((await load()).lastUsedAt).toEqual(t0);

    const later = new Date(t0.getTime() + API_KEY_LAST_USED_RESOLUTION_MS);
    const racers = await Promise.all([1, 2, 3].map(() => apiKeys.recordUse({ id: key.id, lastUsedAt: t0 }, later)));
    expect(racers.filter(Boolean)).toHaveLength(1);
    expect((await load()).lastUsedAt).toEqual(later);
  });
});
