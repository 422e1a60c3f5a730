// @ts-check
// Jest global teardown: drops the test databases this run left behind (and abandoned ones of
// older runs), removes its ensureBuilt markers, then stops the containers global setup
// started, if any.
const contract = require('./harness-contract.json');
const { dropLeftoverDatabases } = require('./drop-leftover-databases');
const { harnessState } = require('./harness-state');
const { removeRunTempDirs } = require('./harness-temp-dir');

const ENV = contract.env;

module.exports = async function globalTeardown() {
  const adminUrl = process.env[ENV.pgAdminUrl];
  const runId = process.env[ENV.runId];
  if (adminUrl && runId) {
    try {
      const dropped = await dropLeftoverDatabases(adminUrl, runId);
      if (dropped.length > 0) {
        process.stderr.write(`[test-support] dropped ${dropped.length} leftover test database(s)\n`);
      }
    } catch (error) {
      process.stderr.write(`[test-support] could not drop leftover test databases: ${error}\n`);
    }
  }
  if (runId) removeRunTempDirs(runId);
  const state = harnessState();
  if (state.services) {
    await state.services.stop();
    state.services = undefined;
  }
};
