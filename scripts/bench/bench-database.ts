import { spawnSync } from 'node:child_process';
import { Client } from 'pg';
import { REPO_ROOT } from '../lib/local-env';

/**
 * Drops and recreates a benchmark database, migrated by the migrations of the checkout at
 * `root` (this one unless another is measured beside it); returns its URL.
 */
export async function resetBenchDatabase(adminUrl: string, name: string, root: string = REPO_ROOT): Promise<string> {
  if (!/^numbers_bench[a-z_]*$/.test(name)) throw new Error(`refusing to reset ${name}: not a benchmark database`);
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const migrate = spawnSync('npx', ['prisma', 'migrate', 'deploy'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url.toString() },
    stdio: 'ignore',
  });
  if (migrate.status !== 0) throw new Error('prisma migrate deploy failed on the benchmark database');
  return url.toString();
}
