/** The parts of a `redis://` or `rediss://` URL that ioredis and the Nest Redis transport take. */
export interface RedisEndpoint {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  tls?: Record<string, never>;
}

export function parseRedisUrl(url: string): RedisEndpoint {
  const parsed = new URL(url);
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new Error(`REDIS_URL must use redis:// or rediss://, got ${parsed.protocol}`);
  }
  const endpoint: RedisEndpoint = { host: parsed.hostname || '127.0.0.1', port: Number(parsed.port || 6379) };
  if (parsed.username) endpoint.username = decodeURIComponent(parsed.username);
  if (parsed.password) endpoint.password = decodeURIComponent(parsed.password);
  const db = parsed.pathname.replace(/^\//, '');
  if (db) endpoint.db = Number(db);
  if (parsed.protocol === 'rediss:') endpoint.tls = {};
  return endpoint;
}
