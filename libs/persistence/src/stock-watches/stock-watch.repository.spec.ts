import { AppConfig } from '@numbers/config';
import { newId, type StockScope } from '@numbers/domain';
import { createTestDatabase, testEnv, testRedisPrefix, type TestDatabase } from '@numbers/test-support';
import { Database } from '../database/database';
import { WebhookEndpointRepository } from '../webhooks-out/webhook-endpoint.repository';
import { StockWatchRepository } from './stock-watch.repository';

describe('StockWatchRepository (real PostgreSQL)', () => {
  let database: TestDatabase;
  let db: Database;
  let watches: StockWatchRepository;
  let endpoints: WebhookEndpointRepository;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new Database(AppConfig.fromEnv(testEnv({ DATABASE_URL: database.url, REDIS_PREFIX: testRedisPrefix() })));
    watches = new StockWatchRepository(db);
    endpoints = new WebhookEndpointRepository(db);
  });

  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });

  async function account(): Promise<string> {
    const accountId = newId();
    await db.insertInto('accounts').values({ id: accountId, name: 'stock', planCode: 'growth' }).execute();
    return accountId;
  }

  const scope = (country: string, numberType: StockScope['numberType'] = null, areaCode: string | null = null): StockScope => ({ country, numberType, areaCode });
  const stock = { country: 'GB', types: [{ numberType: 'local', availableCount: 3 }] };
  const eventsOf = (accountId: string) => db.selectFrom('customerEvents').selectAll().where('accountId', '=', accountId).execute();
  const watchIdOf = async (accountId: string, of: StockScope) => {
    const result = await watches.create(accountId, of, 100);
    if (result.outcome !== 'created' && result.outcome !== 'existing') throw new Error(result.outcome);
    return result.watch.id;
  };

  it('creates a watch with its country name, answers the same scope with the same watch, and refuses an unknown country', async () => {
    const accountId = await account();
    const created = await watches.create(accountId, scope('GB', 'local', '20'), 100);
    expect(created).toEqual({
      outcome: 'created',
      watch: { id: expect.stringMatching(/^[0-9a-f]{24}$/), country: 'GB', countryName: 'United Kingdom', numberType: 'local', areaCode: '20', createdAt: expect.any(Date) },
    });
    expect(await watches.create(accountId, scope('GB', 'local', '20'), 100)).toEqual({ ...created, outcome: 'existing' });
    const anyType = await watches.create(accountId, scope('GB'), 100);
    expect(anyType).toMatchObject({ outcome: 'created', watch: { numberType: null, areaCode: null } });
    expect(await watches.create(accountId, scope('GB'), 100)).toEqual({ ...anyType, outcome: 'existing' });
    expect(await watches.create(accountId, scope('ZZ'), 100)).toEqual({ outcome: 'unknown_country' });
    // Another account's watch of the same scope is its own.
    const other = await account();
    expect(await watches.create(other, scope('GB'), 100)).toMatchObject({ outcome: 'created' });
    expect((await watches.listForAccount(accountId)).map((w) => [w.numberType, w.areaCode])).toEqual([
      ['local', '20'],
      [null, null],
    ]);
  });

  it('makes one watch of concurrent creates of a scope, and never passes the limit', async () => {
    const accountId = await account();
    const same = await Promise.all(Array.from({ length: 6 }, () => watches.create(accountId, scope('CA', 'local'), 100)));
    expect(new Set(same.map((r) => (r.outcome === 'created' || r.outcome === 'existing' ? r.watch.id : r.outcome))).size).toBe(1);
    expect(same.filter((r) => r.outcome === 'created')).toHaveLength(1);

    const areas = ['416', '604', '514', '403', '905', '613'];
    const results = await Promise.all(areas.map((area) => watches.create(accountId, scope('CA', 'local', area), 3)));
    expect(results.filter((r) => r.outcome === 'created')).toHaveLength(2);
    expect(results.filter((r) => r.outcome === 'limit_reached')).toEqual(Array.from({ length: 4 }, () => ({ outcome: 'limit_reached', limit: 3 })));
    expect(await watches.listForAccount(accountId)).toHaveLength(3);
  });

  it("deletes only the account's own watch", async () => {
    const owner = await account();
    const stranger = await account();
    const id = await watchIdOf(owner, scope('US', 'toll_free'));
    expect(await watches.delete(stranger, id)).toBe(false);
    expect(await watches.listForAccount(owner)).toHaveLength(1);
    expect(await watches.delete(owner, id)).toBe(true);
    expect(await watches.delete(owner, id)).toBe(false);
    expect(await watches.listForAccount(owner)).toEqual([]);
  });

  describe('the sweep side', () => {
    beforeEach(() => db.deleteFrom('stockWatches').execute());
    afterAll(() => db.updateTable('countries').set({ available: true }).execute());

    it('claims each scope once, least recently asked first, in countries we sell in, and stamps its watches', async () => {
      const [a, b] = [await account(), await account()];
      await watchIdOf(a, scope('GB', 'local', '20'));
      await watchIdOf(b, scope('GB', 'local', '20'));
      await watchIdOf(a, scope('US'));
      await watchIdOf(a, scope('AU', 'mobile'));
      await db.updateTable('countries').set({ available: false }).where('code', '=', 'AU').execute();

      const first = await watches.claimScopes(1, new Date('2026-12-07T10:00:00Z'));
      expect(first).toEqual([scope('GB', 'local', '20')]);
      const stamped = await db.selectFrom('stockWatches').select(['country', 'checkedAt']).where('checkedAt', 'is not', null).execute();
      expect(stamped).toEqual([
        { country: 'GB', checkedAt: new Date('2026-12-07T10:00:00Z') },
        { country: 'GB', checkedAt: new Date('2026-12-07T10:00:00Z') },
      ]);
      expect(await watches.claimScopes(1, new Date('2026-12-07T10:01:00Z'))).toEqual([scope('US')]);
      // A new watch of a scope asked before waits its scope's turn.
      await watchIdOf(await account(), scope('GB', 'local', '20'));
      expect(await watches.claimScopes(5, new Date('2026-12-07T10:02:00Z'))).toEqual([scope('GB', 'local', '20'), scope('US')]);
    });

    it("announces the stock to each watch of the scope once, for its account, with the account's deliveries, and ends the watches", async () => {
      const [a, b] = [await account(), await account()];
      const hook = await endpoints.create({ id: newId(), accountId: a, name: 'ep', url: 'http://127.0.0.1:9/hook', secretSealed: 's', events: ['phone_number.stock_available'], isActive: true, customHeaders: {} });
      const watchA = await watchIdOf(a, scope('GB', 'local'));
      const watchB = await watchIdOf(b, scope('GB', 'local'));
      const otherScope = await watchIdOf(a, scope('GB'));
      const at = new Date('2026-12-07T11:00:00Z');

      const announced = await watches.announce(scope('GB', 'local'), stock, at);

      expect(announced.map((w) => [w.watchId, w.accountId]).sort()).toEqual([[watchA, a], [watchB, b]].sort());
      const [eventA] = await eventsOf(a);
      expect(eventA.payload).toEqual({ id: eventA.id, event: 'phone_number.stock_available', stock, timestamp: at.toISOString() });
      expect(announced.find((w) => w.accountId === a)?.eventId).toBe(eventA.id);
      expect(await eventsOf(b)).toHaveLength(1);
      const deliveries = await db.selectFrom('outbox').select('payload').where('name', '=', 'deliver-webhook').execute();
      expect(deliveries.map((d) => d.payload)).toContainEqual({ eventId: eventA.id, webhookId: hook.id });
      expect((await watches.listForAccount(a)).map((w) => w.id)).toEqual([otherScope]);
      // Ended: never announced again.
      expect(await watches.announce(scope('GB', 'local'), stock, at)).toEqual([]);
      expect(await eventsOf(a)).toHaveLength(1);
    });

    it('announces each watch once when runs race, in batches past a hundred', async () => {
      const owners = [await account(), await account()];
      // 150 watches of one scope, over two accounts (an account holds at most 100).
      const rows = owners.flatMap((accountId, i) => Array.from({ length: i === 0 ? 100 : 50 }, () => ({ id: newId(), accountId, country: 'US', numberType: 'local' as const, areaCode: '212' })));
      await db.insertInto('stockWatches').values(rows).execute();

      const runs = await Promise.all([1, 2, 3].map(() => watches.announce(scope('US', 'local', '212'), { ...stock, country: 'US', areaCode: '212' }, new Date())));

      const ids = runs.flat().map((w) => w.watchId);
      expect(ids).toHaveLength(150);
      expect(new Set(ids).size).toBe(150);
      const events = await db.selectFrom('customerEvents').select('accountId').where('type', '=', 'phone_number.stock_available').where('accountId', 'in', owners).execute();
      expect(events).toHaveLength(150);
      expect(await db.selectFrom('stockWatches').select('id').execute()).toEqual([]);
    });
  });
});
