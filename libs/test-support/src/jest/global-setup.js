// @ts-check
// Jest global setup for every project (see jest.preset.js). Plain CommonJS: jest loads it
// before any transform. It finds PostgreSQL and Redis (containers, else the local servers),
// makes sure the Prisma client and a migrated template database are current, and hands the
// facts to the test workers through NUMBERS_TEST_* variables (workers inherit process.env).
//
// NUMBERS_TEST_SERVICES: auto (default: containers, else local servers) | local (skip the
// container attempt) | none (prepare nothing: pure unit tests only).
const contract = require('./harness-contract.json');
const { findServices } = require('./find-services');
const { harnessState } = require('./harness-state');
const { prepareDatabaseTemplate } = require('./template-database');
const { newTestRunId } = require('./test-run-id');

const MODES = ['auto', 'local', 'none'];
const ENV = contract.env;

module.exports = async function globalSetup() {
  const mode = (process.env[ENV.servicesMode] || 'auto').toLowerCase();
  if (!MODES.includes(mode)) {
    throw new Error(`${ENV.servicesMode}=${mode} is not one of ${MODES.join(', ')}`);
  }
  process.env[ENV.runId] = newTestRunId();
  if (mode === 'none') return;

  const state = harnessState();
  state.services ??= await findServices({ useContainers: mode === 'auto' });
  const services = state.services;
  process.env[ENV.servicesSource] = services.source;

  if (services.redisUnavailable) {
    process.env[ENV.redisUnavailable] = services.redisUnavailable;
    warn(services.redisUnavailable);
  } else {
    process.env[ENV.redisUrl] = services.redisUrl;
  }

  if (services.pgUnavailable) {
    process.env[ENV.pgUnavailable] = services.pgUnavailable;
    warn(services.pgUnavailable);
  } else {
    process.env[ENV.pgAdminUrl] = services.pgAdminUrl;
    process.env[ENV.templateDb] = await prepareDatabaseTemplate(services.pgAdminUrl);
  }
};

/** @param {string} message */
function warn(message) {
  process.stderr.write(`\n[test-support] ${message}\nTests that need it will fail with this message.\n\n`);
}
