import { Controller, type INestMicroservice } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { AppConfig } from '@numbers/config';
import type { EventPayloads } from '@numbers/contracts';
import { eventually, startRedisCluster, testEnv, testRedisPrefix, type RedisClusterProcess } from '@numbers/test-support';
import { Worker, type Job } from 'bullmq';
import { Cluster } from 'ioredis';
import { EventPublisher } from '../events/event-publisher';
import { eventTransportOptions } from '../events/event-transport';
import { QueueRegistry } from '../queues/queue-registry';
import { InFlightLimiter } from './in-flight-limiter';
import { createRedisClient, type RedisClient } from './redis-client';
import { RedisConnections } from './redis-connections';
import { RedisRateLimiter } from './redis-rate-limiter';

// Every piece of messaging that talks to Redis, on a real three-master Redis Cluster
// (REDIS_CLUSTER_NODES): BullMQ queues and workers, the Lua scripts, and the event transport.
let cluster: RedisClusterProcess;
let config: AppConfig;

beforeAll(async () => {
  cluster = await startRedisCluster();
  config = AppConfig.fromEnv(
    testEnv({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/unused', REDIS_PREFIX: testRedisPrefix(), REDIS_CLUSTER_NODES: cluster.setting }),
  );
}, 60_000);

// The cluster is this file's own: its keys go with it.
afterAll(() => cluster?.stop());

it('builds a Cluster client for REDIS_CLUSTER_NODES, whose every master is a node of the test cluster', async () => {
  const client = createRedisClient(config.redis.target, 'producer');
  try {
    expect(client).toBeInstanceOf(Cluster);
    await client.ping();
    const masters = (client as Cluster).nodes('master').map((node) => `${node.options.host}:${node.options.port}`);
    expect(masters.sort()).toEqual([...cluster.nodes].sort());
  } finally {
    client.disconnect();
  }
});

it('adds a job through the QueueRegistry and a BullMQ worker on the worker connection processes it, every key in one slot', async () => {
  const connections = new RedisConnections(config);
  const queues = new QueueRegistry(config, connections);
  const processed: unknown[] = [];
  const worker = new Worker('billing', async (job: Job) => void processed.push(job.data), { connection: connections.get('worker'), prefix: config.redis.prefix });
  try {
    await queues.get('billing').add('cluster-probe', { n: 1 }, { jobId: 'cluster-probe-1' });
    await eventually('the job is processed', async () => processed.length === 1, 20_000);
    expect(processed).toEqual([{ n: 1 }]);
    // The prefix is a hash tag: the queue's keys all live on one master.
    const holders = await mastersHoldingPrefix(connections.get('producer') as Cluster, config.redis.prefix);
    expect(holders).toBe(1);
  } finally {
    await worker.close();
    await queues.closeAll();
    await connections.closeAll();
  }
});

it("runs the rate limiter's and the in-flight limiter's scripts on the cluster", async () => {
  const request = createRedisClient(config.redis.target, 'request');
  const connections = new RedisConnections(config);
  try {
    const rateLimiter = new RedisRateLimiter(request, config);
    const first = await rateLimiter.hit('key_cluster');
    const second = await rateLimiter.hit('key_cluster');
    expect([first.remaining, second.remaining]).toEqual([config.gateway.rateLimitPerMinute - 1, config.gateway.rateLimitPerMinute - 2]);

    // Two keys in one script (the count and the slow mark): only a shared hash tag lets the cluster run it.
    const inFlight = new InFlightLimiter(connections, config);
    const limits = { limit: 1, slowLimit: 1 };
    expect(await inFlight.acquire('endpoint_cluster', limits, 10_000)).toBe(true);
    expect(await inFlight.acquire('endpoint_cluster', limits, 10_000)).toBe(false);
    await inFlight.release('endpoint_cluster', 5_000);
    expect(await inFlight.acquire('endpoint_cluster', limits, 10_000)).toBe(true);
  } finally {
    request.disconnect();
    await connections.closeAll();
  }
});

it('publishes an event through EventPublisher and a subscriber on the Redis transport receives it', async () => {
  const received: Array<EventPayloads['number.status_changed']> = [];
  @Controller()
  class ProbeEvents {
    @EventPattern('number.status_changed')
    handle(@Payload() payload: EventPayloads['number.status_changed']): void {
      received.push(payload);
    }
  }
  const moduleRef = await Test.createTestingModule({ controllers: [ProbeEvents] }).compile();
  const subscriber: INestMicroservice = moduleRef.createNestMicroservice(eventTransportOptions(config));
  const publisher = new EventPublisher(config);
  try {
    await subscriber.listen();
    const payload = { numberId: 'num_cluster', accountId: 'acc_cluster', from: 'provisioning', to: 'active', event: 'probe', at: new Date().toISOString() } as const;
    // The subscription is sent right after connecting, without a reply to wait for: publish until it lands.
    await eventually('the subscriber receives the event', async () => {
      await publisher.publish('number.status_changed', payload);
      return received.length > 0;
    }, 20_000, 200);
    expect(received[0]).toEqual(payload);
  } finally {
    await publisher.close();
    await subscriber.close();
  }
});

async function mastersHoldingPrefix(client: Cluster, prefix: string): Promise<number> {
  const counts = await Promise.all(client.nodes('master').map(async (node: RedisClient) => (await node.keys(`${prefix}*`)).length));
  return counts.filter((count) => count > 0).length;
}
