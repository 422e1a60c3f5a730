// @ts-check
// Does a PostgreSQL or Redis server answer at this URL? Resolves to null when it does,
// to the reason when it does not. Never throws.
const { Client } = require('pg');
const { Redis } = require('ioredis');

const PROBE_TIMEOUT_MS = 3000;

/** @param {string} url @returns {Promise<string | null>} */
async function probePostgres(url) {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return describe(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** @param {string} url @returns {Promise<string | null>} */
async function probeRedis(url) {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: PROBE_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // The socket's error (ECONNREFUSED...) says more than connect()'s "Connection is closed".
  /** @type {unknown} */
  let socketError;
  redis.on('error', (error) => {
    socketError ??= error;
  });
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (error) {
    return describe(socketError ?? error);
  } finally {
    redis.disconnect();
  }
}

/** @param {unknown} error */
function describe(error) {
  if (error instanceof AggregateError && error.errors.length > 0) return describe(error.errors[0]);
  return error instanceof Error ? error.message || error.name : String(error);
}

module.exports = { probePostgres, probeRedis };
