import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import type { QueueName } from '@numbers/contracts';
import { QueueKeys } from 'bullmq';
import type { RedisClient } from '../redis/redis-client';
import { REQUEST_REDIS } from '../redis/request-redis';

// BullMQ pushes a waiting job on the head of the queue's `wait` list and workers take from the
// tail, so the tail is the oldest; a prioritized job waits in the `prioritized` set, lowest score
// (highest priority, then oldest) first. A job's hash holds when it was added. A job that waited
// in the delayed set first (a scheduled run: `rjk`; a retry or a deferral: `processedOn`; added
// with a delay: `opts.delay`) keeps its first timestamp, which says nothing of its wait here:
// those are passed over, up to SCAN_LIMIT of them in each. One round trip.
const OLDEST_WAITING_SCRIPT = `
local function oldest(ids, from, to, step)
  for i = from, to, step do
    local added, scheduled, processed, opts = unpack(redis.call('HMGET', ARGV[1] .. ids[i], 'timestamp', 'rjk', 'processedOn', 'opts'))
    local delayed = opts and (tonumber(cjson.decode(opts)['delay']) or 0) > 0
    if added and not scheduled and not processed and not delayed then return tonumber(added) end
  end
  return -1
end
local limit = tonumber(ARGV[2])
local waiting = redis.call('LRANGE', KEYS[1], -limit, -1)
local prioritized = redis.call('ZRANGE', KEYS[2], 0, limit - 1)
local a = oldest(waiting, #waiting, 1, -1)
local b = oldest(prioritized, 1, #prioritized, 1)
if a < 0 then return b end
if b < 0 then return a end
return math.min(a, b)
`;

const SCAN_LIMIT = 20;

type RedisWithOldest = RedisClient & { oldestWaitingJob(waitKey: string, prioritizedKey: string, jobKeyPrefix: string, scanLimit: number): Promise<number> };

/** How long the oldest job waiting in a queue has waited, read on the request path's connection (it fails fast). */
@Injectable()
export class QueueWait {
  private readonly redis: RedisWithOldest;
  private readonly keys: QueueKeys;

  constructor(@Inject(REQUEST_REDIS) redis: RedisClient, config: AppConfig) {
    if (!('oldestWaitingJob' in redis)) redis.defineCommand('oldestWaitingJob', { numberOfKeys: 2, lua: OLDEST_WAITING_SCRIPT });
    this.redis = redis as RedisWithOldest;
    this.keys = new QueueKeys(config.redis.prefix);
  }

  /** When the oldest job waiting in `queue`, prioritized or not, was added (ms since the epoch); null when none waits (or none that came straight in). */
  async oldestWaitingSince(queue: QueueName): Promise<number | null> {
    const added = Number(await this.redis.oldestWaitingJob(this.keys.toKey(queue, 'wait'), this.keys.toKey(queue, 'prioritized'), this.keys.toKey(queue, ''), SCAN_LIMIT));
    return added >= 0 ? added : null;
  }
}
