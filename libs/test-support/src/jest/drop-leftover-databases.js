// @ts-check
// Test databases are dropped by their test files; this catches the ones a crashed or careless
// file left: this run's own, and other runs' that are over an hour old and have no session.
const { Client } = require('pg');
const contract = require('./harness-contract.json');
const { quoteIdent } = require('./database-url');
const { startOfTestRun } = require('./test-run-id');

const ABANDONED_AFTER_MS = 60 * 60 * 1000;
const TEST_DB = new RegExp(`^${contract.databases.testPrefix}([0-9a-z]+_[0-9a-z]+)_[0-9a-f]+$`);

/** @param {string} adminUrl @param {string} runId @returns {Promise<string[]>} the dropped names */
async function dropLeftoverDatabases(adminUrl, runId) {
  const admin = new Client({ connectionString: adminUrl });
  admin.on('error', () => undefined);
  await admin.connect();
  const dropped = [];
  try {
    const { rows } = await admin.query(
      `SELECT d.datname, (SELECT count(*) FROM pg_stat_activity a WHERE a.datname = d.datname)::int AS sessions
         FROM pg_database d WHERE d.datname LIKE $1`,
      [`${contract.databases.testPrefix.replace(/_/g, '\\_')}%`],
    );
    for (const { datname, sessions } of rows) {
      const owner = TEST_DB.exec(datname)?.[1];
      if (!owner) continue;
      const ours = owner === runId;
      const abandoned = sessions === 0 && Date.now() - startOfTestRun(owner) > ABANDONED_AFTER_MS;
      if (!ours && !abandoned) continue;
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)}${ours ? ' WITH (FORCE)' : ''}`);
        dropped.push(datname);
      } catch {
        // Someone connected in the meantime: it is in use after all.
      }
    }
  } finally {
    await admin.end();
  }
  return dropped;
}

module.exports = { dropLeftoverDatabases };
