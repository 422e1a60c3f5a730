import { randomBytes } from 'node:crypto';
import type { RedisTarget } from '@numbers/config';
import { Cluster, Redis } from 'ioredis';
import contract from './jest/harness-contract.json';

const TEST_PREFIX_START = contract.redis.testPrefixStart;
const UNLINK_BATCH = 500;

/**
 * A key prefix of its own for one test file, e.g. `{numbers-t-1a2b3c4d5e6f}`: use it as
 * REDIS_PREFIX. The braces make it a Redis Cluster hash tag, like the production `{numbers}`.
 */
export function testRedisPrefix(): string {
  return `${TEST_PREFIX_START}${randomBytes(6).toString('hex')}}`;
}

/**
 * Deletes every key that starts with `prefix` (SCAN + UNLINK) and returns how many, on the Redis
 * at `redis` (a URL) or on every master of a cluster (`RedisTarget`).
 * Only test prefixes are accepted, so a slip cannot empty the development `{numbers}` keys.
 */
export async function flushRedisPrefix(redis: string | RedisTarget, prefix: string): Promise<number> {
  if (!prefix.startsWith(TEST_PREFIX_START)) {
    throw new Error(`flushRedisPrefix only deletes test prefixes (${TEST_PREFIX_START}...), not ${prefix}`);
  }
  const target: RedisTarget = typeof redis === 'string' ? { cluster: false, url: redis } : redis;
  if (!target.cluster) {
    const server = new Redis(target.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await server.connect();
    try {
      return await unlinkMatching(server, prefix);
    } finally {
      server.disconnect();
    }
  }
  // Not the messaging factory: @numbers/messaging's own tests use this library.
  const nodes = target.nodes.map((node) => new URL(node)).map((url) => ({ host: url.hostname, port: Number(url.port) }));
  // One try: a cluster already stopped must fail this call, not retry forever.
  const cluster = new Cluster(nodes, { lazyConnect: true, clusterRetryStrategy: () => null, redisOptions: { maxRetriesPerRequest: 1 } });
  cluster.on('error', () => undefined);
  await cluster.connect();
  try {
    // SCAN sees one node's keys: each master deletes its own.
    const deleted = await Promise.all(cluster.nodes('master').map((node) => unlinkMatching(node, prefix)));
    return deleted.reduce((sum, count) => sum + count, 0);
  } finally {
    cluster.disconnect();
  }
}

async function unlinkMatching(redis: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${escapeGlob(prefix)}*`, 'COUNT', UNLINK_BATCH);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
