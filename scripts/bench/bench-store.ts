import { Redis } from 'ioredis';

/** Every benchmark's Redis keys start with this (its own hash tag), never the development `{numbers}`. */
const BENCH_PREFIX_START = '{numbers-bench-';

/** Deletes every key under `prefix`, which must be a benchmark's own. */
export async function flushBenchPrefix(redisUrl: string, prefix: string): Promise<void> {
  if (!prefix.startsWith(BENCH_PREFIX_START)) throw new Error(`refusing to flush ${prefix}: not a benchmark prefix`);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix.replace(/[*?[\]\\]/g, (c) => `\\${c}`)}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

