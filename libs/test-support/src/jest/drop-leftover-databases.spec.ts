import { Client } from 'pg';
import { pgAdminUrl, templateDatabaseName, testRunId } from '../harness-env';

// The teardown module is plain CommonJS (jest loads it untransformed): typed at the seam.
const { dropLeftoverDatabases } = require('./drop-leftover-databases') as {
  dropLeftoverDatabases(adminUrl: string, runId: string): Promise<string[]>;
};

describe('dropLeftoverDatabases (global teardown)', () => {
  const twoHoursAgo = `${(Date.now() - 2 * 3600_000).toString(36)}_zz`;
  const aMinuteAgo = `${(Date.now() - 60_000).toString(36)}_zz`;
  const names = {
    abandoned: `numbers_t_${twoHoursAgo}_0000000a`,
    busy: `numbers_t_${twoHoursAgo}_0000000b`,
    recent: `numbers_t_${aMinuteAgo}_0000000c`,
  };
  let admin: Client;
  let session: Client | undefined;

  beforeAll(async () => {
    admin = new Client({ connectionString: pgAdminUrl() });
    await admin.connect();
    for (const name of Object.values(names)) {
      await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${templateDatabaseName()}"`);
    }
    const url = new URL(pgAdminUrl());
    url.pathname = `/${names.busy}`;
    session = new Client({ connectionString: url.toString() });
    await session.connect();
  });

  afterAll(async () => {
    await session?.end();
    for (const name of Object.values(names)) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  it("drops other runs' databases that are over an hour old and unused, and nothing else", async () => {
    // Runs under another run id, so this run's own databases (the other spec files') stay.
    const dropped = await dropLeftoverDatabases(pgAdminUrl(), `${testRunId()}x`);
    expect(dropped).toContain(names.abandoned);
    expect(dropped).not.toContain(names.busy);
    expect(dropped).not.toContain(names.recent);
    const { rows } = await admin.query('SELECT datname FROM pg_database WHERE datname = ANY($1)', [Object.values(names)]);
    expect(rows.map((r) => r.datname).sort()).toEqual([names.busy, names.recent].sort());
  });
});
