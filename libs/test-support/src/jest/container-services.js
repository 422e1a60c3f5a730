// @ts-check
// PostgreSQL and Redis in throw-away containers, when a container runtime answers. With none
// (the usual case on our machines) testcontainers fails within milliseconds and we return null.

const NO_RUNTIME = /container runtime strategy/i;

/**
 * @typedef {{ pgAdminUrl: string, redisUrl: string, stop: () => Promise<void> }} ContainerServices
 * @returns {Promise<ContainerServices | null>}
 */
async function startContainerServices() {
  /** @type {typeof import('testcontainers')} */
  let testcontainers;
  try {
    testcontainers = require('testcontainers');
  } catch (error) {
    warn(`testcontainers could not be loaded (${messageOf(error)})`);
    return null;
  }
  const { GenericContainer, Wait } = testcontainers;
  const started = await Promise.allSettled([
    new GenericContainer('postgres:15-alpine')
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .start(),
    new GenericContainer('redis:7-alpine').withExposedPorts(6379).start(),
  ]);
  const [pg, redis] = started;
  if (pg.status === 'fulfilled' && redis.status === 'fulfilled') {
    const pgUrl = `postgresql://postgres@${pg.value.getHost()}:${pg.value.getMappedPort(5432)}/postgres`;
    const redisUrl = `redis://${redis.value.getHost()}:${redis.value.getMappedPort(6379)}`;
    return {
      pgAdminUrl: pgUrl,
      redisUrl,
      stop: async () => {
        await Promise.allSettled([pg.value.stop(), redis.value.stop()]);
      },
    };
  }
  await Promise.allSettled(started.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
  const reason = started.find((s) => s.status === 'rejected');
  const message = reason && reason.status === 'rejected' ? messageOf(reason.reason) : 'unknown error';
  if (!NO_RUNTIME.test(message)) warn(`containers did not start (${message})`);
  return null;
}

/** @param {unknown} error */
function messageOf(error) {
  return error instanceof Error ? error.message : String(error);
}

/** @param {string} text */
function warn(text) {
  process.stderr.write(`[test-support] ${text}; using the local services instead\n`);
}

module.exports = { startContainerServices };
