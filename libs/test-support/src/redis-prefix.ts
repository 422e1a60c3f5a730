import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
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
 * Deletes every key that starts with `prefix` (SCAN + UNLINK) and returns how many.
 * Only test prefixes are accepted, so a slip cannot empty the development `{numbers}` keys.
 */
export async function flushRedisPrefix(redisUrl: string, prefix: string): Promise<number> {
  if (!prefix.startsWith(TEST_PREFIX_START)) {
    throw new Error(`flushRedisPrefix only deletes test prefixes (${TEST_PREFIX_START}...), not ${prefix}`);
  }
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${escapeGlob(prefix)}*`, 'COUNT', UNLINK_BATCH);
      cursor = next;
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    } while (cursor !== '0');
    return deleted;
  } finally {
    redis.disconnect();
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
