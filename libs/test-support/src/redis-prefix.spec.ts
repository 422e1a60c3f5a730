import { Redis } from 'ioredis';
import { testRedisUrl } from './harness-env';
import { flushRedisPrefix, testRedisPrefix } from './redis-prefix';

describe('Redis prefixes per test file', () => {
  let redis: Redis;
  const mine = testRedisPrefix();
  const theirs = testRedisPrefix();

  beforeAll(async () => {
    redis = new Redis(testRedisUrl());
  });

  afterAll(async () => {
    await flushRedisPrefix(testRedisUrl(), mine);
    await flushRedisPrefix(testRedisUrl(), theirs);
    redis.disconnect();
  });

  it('makes unique Redis Cluster hash tags', () => {
    expect(mine).toMatch(/^\{numbers-t-[0-9a-f]{12}\}$/);
    expect(theirs).not.toEqual(mine);
  });

  it('deletes the keys of one prefix and leaves the others alone', async () => {
    const keys = Array.from({ length: 1200 }, (_, i) => `${mine}:queue:job:${i}`);
    await redis.mset(...keys.flatMap((key) => [key, '1']));
    await redis.set(`${theirs}:queue:job:1`, 'kept');

    await expect(flushRedisPrefix(testRedisUrl(), mine)).resolves.toBe(1200);

    expect(await redis.exists(...keys.slice(0, 10))).toBe(0);
    expect(await redis.get(`${theirs}:queue:job:1`)).toBe('kept');
  });

  it('refuses a prefix that is not a test prefix', async () => {
    await expect(flushRedisPrefix(testRedisUrl(), '{numbers}')).rejects.toThrow(/only deletes test prefixes/);
    await expect(flushRedisPrefix(testRedisUrl(), '')).rejects.toThrow(/only deletes test prefixes/);
  });
});
