// QueueWait on a real Redis: the age of a queue's oldest waiting job, as admission reads it.
import { AppConfig } from '@numbers/config';
import { flushRedisPrefix, testEnv, testRedisPrefix, testRedisUrl } from '@numbers/test-support';
import { Queue } from 'bullmq';
import { closeRedisClient, createRedisClient, type RedisClient } from '../redis/redis-client';
import { QueueWait } from './queue-wait';

const prefix = testRedisPrefix();
const config = AppConfig.fromEnv(testEnv({ DATABASE_URL: 'postgresql://unused/x', REDIS_PREFIX: prefix }));
let redis: RedisClient;
let queue: Queue;
let wait: QueueWait;

beforeAll(() => {
  redis = createRedisClient(config.redis.target, 'request');
  queue = new Queue('calling', { connection: createRedisClient(config.redis.target, 'producer'), prefix });
  wait = new QueueWait(redis, config);
});

afterAll(async () => {
  await queue.close();
  await closeRedisClient(redis);
  await flushRedisPrefix(testRedisUrl(), prefix);
});

it('reads when the oldest job that came straight in was added, prioritized or not, passing over those that waited delayed first', async () => {
  const now = Date.now();
  expect(await wait.oldestWaitingSince('calling')).toBeNull();

  // Delayed for a minute, then promoted: at the tail of `wait`, its timestamp a minute old says nothing of its wait.
  const promoted = await queue.add('place-call', { callId: 'promoted' }, { delay: 60_000, timestamp: now - 60_000 });
  await promoted.promote();
  expect(await wait.oldestWaitingSince('calling')).toBeNull();

  await queue.add('place-call', { callId: 'dial' }, { timestamp: now - 2_000 });
  await queue.add('place-call', { callId: 'newer' }, { timestamp: now - 1_000 });
  expect(await wait.oldestWaitingSince('calling')).toBe(now - 2_000);

  await queue.add('process-telnyx-call-event', { webhookEventId: 'follow-up' }, { priority: 1, timestamp: now - 5_000 });
  expect(await wait.oldestWaitingSince('calling')).toBe(now - 5_000);
});
