import { seedAccount, startGatewayForTest, type GatewayTestContext, type SeededAccount } from '../testing/gateway-test-app';
import { createRedisClient, RedisRateLimiter } from '@numbers/messaging';

const LIST = '/v1/whatsapp/phone-numbers';
const LIMIT = 3;

let ctx: GatewayTestContext;
let first: SeededAccount;
let second: SeededAccount;

beforeAll(async () => {
  ctx = await startGatewayForTest({ env: { RATE_LIMIT_PER_MINUTE: String(LIMIT) } });
  first = await seedAccount(ctx.database, 'First');
  second = await seedAccount(ctx.database, 'Second');
});

afterAll(async () => {
  await ctx?.close();
});

describe('rate limiting per API key', () => {
  it('counts down in the headers, then answers 429 RATE_LIMITED with the headers and Retry-After', async () => {
    const startedAt = Math.floor(Date.now() / 1000);
    const seen: Array<[number, string | undefined]> = [];
    for (let i = 0; i < LIMIT; i++) {
      const res = await ctx.app.inject({ method: 'GET', url: LIST, headers: { authorization: first.bearer } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBe(String(LIMIT));
      seen.push([res.statusCode, res.headers['x-ratelimit-remaining'] as string]);
      const reset = Number(res.headers['x-ratelimit-reset']);
      expect(reset).toBeGreaterThanOrEqual(startedAt);
      expect(reset).toBeLessThanOrEqual(startedAt + 61);
    }
    expect(seen.map(([, remaining]) => remaining)).toEqual(['2', '1', '0']);

    const over = await ctx.app.inject({ method: 'GET', url: `${LIST}/countries`, headers: { authorization: first.bearer, 'x-request-id': 'trace-429' } });
    expect(over.statusCode).toBe(429);
    expect(over.json()).toEqual({ error: expect.any(String), code: 'RATE_LIMITED' });
    expect(over.headers).toMatchObject({ 'x-ratelimit-limit': String(LIMIT), 'x-ratelimit-remaining': '0', 'x-request-id': 'trace-429' });
    expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(over.headers['retry-after'])).toBeLessThanOrEqual(60);
  });

  it('keeps one counter per key, shared by every gateway replica (state in Redis)', async () => {
    // Another account's key is not affected.
    const res = await ctx.app.inject({ method: 'GET', url: LIST, headers: { authorization: second.bearer } });
    expect([res.statusCode, res.headers['x-ratelimit-remaining']]).toEqual([200, '2']);

    const replica = await ctx.startReplica();
    const viaReplica = await replica.inject({ method: 'GET', url: LIST, headers: { authorization: first.bearer } });
    expect(viaReplica.statusCode).toBe(429);
    const secondViaReplica = await replica.inject({ method: 'GET', url: LIST, headers: { authorization: second.bearer } });
    expect([secondViaReplica.statusCode, secondViaReplica.headers['x-ratelimit-remaining']]).toEqual([200, '1']);
  });

  it('stores the counter under the configured prefix with the window as its TTL', async () => {
    const limiter = ctx.app.get(RedisRateLimiter);
    const key = limiter.keyOf(first.apiKeyId);
    expect(key.startsWith(`${ctx.config.redis.prefix}:`)).toBe(true);
    const redis = createRedisClient(ctx.config.redis.target, 'producer');
    try {
      expect(Number(await redis.get(key))).toBeGreaterThan(LIMIT);
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
      // A new window starts when the old one expires.
      await redis.pexpire(key, 1);
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      redis.disconnect();
    }
    const fresh = await ctx.app.inject({ method: 'GET', url: LIST, headers: { authorization: first.bearer } });
    expect([fresh.statusCode, fresh.headers['x-ratelimit-remaining']]).toEqual([200, '2']);
  });

  it('does not limit or decorate public routes and unauthenticated requests', async () => {
    for (let i = 0; i < LIMIT + 2; i++) {
      const health = await ctx.app.inject({ method: 'GET', url: '/health' });
      expect(health.statusCode).toBe(200);
      expect(health.headers['x-ratelimit-limit']).toBeUndefined();
    }
    const anonymous = await ctx.app.inject({ method: 'GET', url: LIST });
    expect(anonymous.statusCode).toBe(401);
  });
});
