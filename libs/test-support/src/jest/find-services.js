// @ts-check
// Finds the PostgreSQL and Redis the tests will use: containers when a runtime answers,
// otherwise the servers named by DATABASE_URL / REDIS_URL (defaulting to the local ones).
// A server that does not answer is reported, with the command that starts it; the helpers
// that need it throw that report, so pure unit tests still run without it.
const { startContainerServices } = require('./container-services');
const { probePostgres, probeRedis } = require('./service-probes');
const { redactUrl } = require('./redact-url');

const DEFAULT_PG_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const START_PG = 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';
const START_REDIS = 'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no';

/**
 * @typedef {object} Services
 * @property {'containers' | 'local'} source
 * @property {string} pgAdminUrl
 * @property {string} redisUrl
 * @property {string | null} pgUnavailable why PostgreSQL cannot be used, or null
 * @property {string | null} redisUnavailable why Redis cannot be used, or null
 * @property {() => Promise<void>} stop stops what was started for this run (containers)
 */

/** @param {{ useContainers: boolean }} options @returns {Promise<Services>} */
async function findServices({ useContainers }) {
  const containers = useContainers ? await startContainerServices() : null;
  if (containers) {
    return { source: 'containers', ...containers, pgUnavailable: null, redisUnavailable: null };
  }
  const pgAdminUrl = process.env.DATABASE_URL || DEFAULT_PG_URL;
  const redisUrl = process.env.REDIS_URL || DEFAULT_REDIS_URL;
  const [pgError, redisError] = await Promise.all([probePostgres(pgAdminUrl), probeRedis(redisUrl)]);
  return {
    source: 'local',
    pgAdminUrl,
    redisUrl,
    pgUnavailable: pgError && unavailable('PostgreSQL', pgAdminUrl, pgError, START_PG, 'DATABASE_URL'),
    redisUnavailable: redisError && unavailable('Redis', redisUrl, redisError, START_REDIS, 'REDIS_URL'),
    stop: async () => undefined,
  };
}

/**
 * @param {string} service @param {string} url @param {string} reason
 * @param {string} command @param {string} variable
 */
function unavailable(service, url, reason, command, variable) {
  return (
    `${service} does not answer at ${redactUrl(url)} (${reason}) and no container runtime was found.\n` +
    `Start it with:\n  ${command}\n` +
    `or point ${variable} at a running server.`
  );
}

module.exports = { findServices };
