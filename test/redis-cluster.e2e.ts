// The whole system on a real three-master Redis Cluster (REDIS_CLUSTER_NODES): the built
// simulator, gateway, provisioning worker and billing worker, every BullMQ queue, the rate
// limiter and the event transport on the cluster. One number bought through the SDK reaches active.
import Zernio from '@zernio/node';
import type { RedisTarget } from '@numbers/config';
import { createRedisClient } from '@numbers/messaging';
import type { Database } from '@numbers/persistence';
import { Cluster } from 'ioredis';
import { createTestAccountWithKey, eventually, startRedisCluster, type RedisClusterProcess } from '@numbers/test-support';
import { startSystem, type System } from './support/system';

let cluster: RedisClusterProcess;
let system: System;
let db: Database;

beforeAll(async () => {
  cluster = await startRedisCluster();
  system = await startSystem({}, { redisCluster: cluster });
  db = system.db;
}, 300_000);

afterAll(async () => {
  await system?.stop();
  await cluster?.stop();
});

it('a number bought through the SDK and paid at Checkout reaches active, every job through the cluster', async () => {
  const account = await createTestAccountWithKey(db, { name: 'Cluster', planCode: 'growth' });
  const z = new Zernio({ apiKey: account.apiKey, baseURL: system.baseUrl });
  const bought = await z.whatsappphonenumbers.purchaseWhatsAppPhoneNumber({ body: { profileId: account.profileId } });
  expect(bought.response.status).toBe(200);
  // The gateway's rate limiter counted the request on the cluster.
  expect(bought.response.headers.get('x-ratelimit-remaining')).toBe(String(system.config.gateway.rateLimitPerMinute - 1));

  const pending = await db.selectFrom('phoneNumbers').selectAll().where('accountId', '=', account.accountId).executeTakeFirstOrThrow();
  expect(pending.status).toBe('pending_payment');
  await system.sim.post(`/_sim/stripe/checkout/${pending.stripeCheckoutSessionId}/pay`, {});

  const active = await eventually('the number active', async () => {
    const number = await db.selectFrom('phoneNumbers').selectAll().where('id', '=', pending.id).executeTakeFirstOrThrow();
    return number.status === 'active' && number;
  }, 120_000);
  expect(active).toMatchObject({ metaVerificationStatus: 'VERIFIED', phoneNumber: expect.stringMatching(/^\+1\d{10}$/) });
  await eventually('billing started', async () => {
    const charge = await db.selectFrom('ledgerEntries').select('id').where('numberId', '=', pending.id).where('kind', '=', 'charge').executeTakeFirst();
    return charge !== undefined;
  }, 60_000);
  // Every process used the cluster: the system's keys are there, none on the test run's Redis.
  const prefix = system.env['REDIS_PREFIX'];
  expect(await keysOf(system.config.redis.target, prefix)).toBeGreaterThan(0);
  expect(await keysOf({ cluster: false, url: system.env['REDIS_URL'] }, prefix)).toBe(0);
});

/** How many keys start with `prefix` on a server, or on every master of a cluster. */
async function keysOf(target: RedisTarget, prefix: string): Promise<number> {
  const client = createRedisClient(target, 'producer');
  try {
    await client.ping(); // a cluster knows its masters once connected
    const servers = client instanceof Cluster ? client.nodes('master') : [client];
    const counts = await Promise.all(servers.map(async (server) => (await server.keys(`${prefix}*`)).length));
    return counts.reduce((sum, count) => sum + count, 0);
  } finally {
    client.disconnect();
  }
}
