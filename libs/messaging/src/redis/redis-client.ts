import type { RedisTarget } from '@numbers/config';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { parseRedisUrl } from './redis-url';

/** A connection to one Redis server or to a Redis Cluster: BullMQ, scripts and pub/sub take either. */
export type RedisClient = Redis | Cluster;

/**
 * What a connection is for.
 * - `worker`: BullMQ workers block on Redis and must retry forever (`maxRetriesPerRequest: null`,
 *   as BullMQ requires of a worker's connection, a cluster's included).
 * - `producer`: queues, the relay, the in-flight limiter fail a command after a few retries, so
 *   the outbox row stays unpublished and is tried again.
 * - `request`: the gateway's rate limits and health checks fail fast: a request must not hang on
 *   a Redis outage.
 * - `events`: the event transport's publisher and subscriber (ioredis' default retries per
 *   command); it connects when told (`lazyConnect`) and reconnects forever, one second apart.
 */
export type RedisRole = 'worker' | 'producer' | 'request' | 'events';

const EVENTS_RECONNECT_MS = 1_000;

/** What each role sets on every connection (to a server, or to each node of a cluster). */
function roleOptions(role: RedisRole): RedisOptions {
  switch (role) {
    case 'worker':
      return { maxRetriesPerRequest: null };
    case 'producer':
      return { maxRetriesPerRequest: 3 };
    case 'request':
      return { commandTimeout: 1_000, maxRetriesPerRequest: 1, connectTimeout: 2_000 };
    case 'events':
      return {};
  }
}

/**
 * The one place a Redis client is built, for every process: an ioredis `Redis` for REDIS_URL, an
 * ioredis `Cluster` for REDIS_CLUSTER_NODES (the credentials and TLS of the first node apply to
 * every node it discovers). Keys that one script or one BullMQ queue touches together must share
 * a hash tag (REDIS_PREFIX is one), or the cluster refuses the command (CROSSSLOT).
 */
export function createRedisClient(target: RedisTarget, role: RedisRole): RedisClient {
  const options: RedisOptions = { connectionName: `numbers:${role}`, ...roleOptions(role) };
  const lazyConnect = role === 'events';
  if (!target.cluster) {
    return new Redis({
      ...parseRedisUrl(target.url),
      ...options,
      lazyConnect,
      ...(role === 'events' && { retryStrategy: () => EVENTS_RECONNECT_MS }),
    });
  }
  const nodes = target.nodes.map(parseRedisUrl);
  const { username, password, tls } = nodes[0] ?? {};
  return new Cluster(
    nodes.map(({ host, port }) => ({ host, port })),
    {
      redisOptions: { ...options, username, password, tls },
      lazyConnect,
      ...(role === 'events' && { clusterRetryStrategy: () => EVENTS_RECONNECT_MS }),
    },
  );
}

/** Closes a client: QUIT when it is ready (answers already sent arrive), otherwise just drops it. */
export async function closeRedisClient(client: RedisClient): Promise<void> {
  if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
  else client.disconnect();
}
