import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import contract from './jest/harness-contract.json';
import { pgAdminUrl, templateDatabaseName, testRunId } from './harness-env';

export interface TestDatabase {
  /** Connection URL for this database (DATABASE_URL of the code under test). */
  readonly url: string;
  readonly name: string;
  /** Ends every session on the database and drops it. Safe to call twice. */
  drop(): Promise<void>;
}

/**
 * A fresh database for one test file, cloned from the migrated template of this run: every
 * migration applied and the reference data (plans, countries) in place. Call `drop()` in
 * afterAll; global teardown drops what a crashed file left behind.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = pgAdminUrl();
  const template = templateDatabaseName();
  const name = `${contract.databases.testPrefix}${testRunId()}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(adminUrl, (admin) =>
    admin.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)}`),
  );
  let dropped: Promise<void> | undefined;
  return {
    url: databaseUrl(adminUrl, name),
    name,
    drop: () =>
      (dropped ??= withAdminClient(adminUrl, async (admin) => {
        await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      })),
  };
}

async function withAdminClient<T>(url: string, work: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: url });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

function quoteIdent(identifier: string): string {
  if (!/^[a-z0-9_]+$/.test(identifier)) throw new Error(`unexpected database name: ${identifier}`);
  return `"${identifier}"`;
}
