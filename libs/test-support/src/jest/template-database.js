// @ts-check
// One migrated template database per set of migrations, named after their hash. A run whose
// migrations match an existing template reuses it (milliseconds); otherwise it is built once
// with `prisma migrate deploy` under the harness lock, then every test file clones it.
const { Client } = require('pg');
const contract = require('./harness-contract.json');
const { withHarnessLock } = require('./advisory-lock');
const { databaseUrl, quoteIdent } = require('./database-url');
const { migrationsFingerprint } = require('./migrations-fingerprint');
const { isPrismaClientFresh, generatePrismaClient } = require('./prisma-client-freshness');
const { runPrisma } = require('./run-prisma');

const TEMPLATE_PREFIX = contract.databases.templatePrefix;
// Older templates (other branches' migrations) kept besides the current one: enough for a few
// worktrees testing side by side, each with its own migrations, without dropping each other's.
const TEMPLATES_KEPT = 4;

/**
 * Generates the Prisma client if stale and returns the name of a template database that holds
 * every migration in prisma/migrations.
 * @param {string} adminUrl
 * @returns {Promise<string>}
 */
async function prepareDatabaseTemplate(adminUrl) {
  const { sha256, migrationCount } = migrationsFingerprint();
  const name = `${TEMPLATE_PREFIX}${sha256.slice(0, 8)}`;
  const admin = new Client({ connectionString: adminUrl });
  admin.on('error', () => undefined);
  await admin.connect();
  try {
    if (isPrismaClientFresh() && (await templateMatches(admin, name, sha256))) return name;
    return await withHarnessLock(admin, async () => {
      if (!isPrismaClientFresh()) await generatePrismaClient(adminUrl);
      if (await templateMatches(admin, name, sha256)) return name;
      await buildTemplate(admin, adminUrl, name, sha256, migrationCount);
      await dropOldTemplates(admin, name);
      return name;
    });
  } finally {
    await admin.end();
  }
}

/** @param {import('pg').Client} admin @param {string} name @param {string} sha256 */
async function templateMatches(admin, name, sha256) {
  const { rows } = await admin.query(
    "SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1",
    [name],
  );
  if (rows.length === 0) return false;
  try {
    return JSON.parse(rows[0].comment ?? '{}').migrationsSha256 === sha256;
  } catch {
    return false;
  }
}

/**
 * Migrates a scratch database, checks every migration is recorded, then renames it into place:
 * a run that dies half-way never leaves a template that looks finished.
 * @param {import('pg').Client} admin @param {string} adminUrl @param {string} name
 * @param {string} sha256 @param {number} migrationCount
 */
async function buildTemplate(admin, adminUrl, name, sha256, migrationCount) {
  const started = Date.now();
  process.stderr.write(`[test-support] migrations changed: building template database ${name}\n`);
  // We hold the harness lock: any scratch database left is from a builder that died.
  await dropDatabasesLike(admin, `${likeEscape(TEMPLATE_PREFIX)}%\\_build\\_%`);
  await dropDatabasesLike(admin, likeEscape(name));
  const scratch = `${name}_build_${process.pid}`;
  await admin.query(`CREATE DATABASE ${quoteIdent(scratch)} TEMPLATE template0`);
  try {
    const scratchUrl = databaseUrl(adminUrl, scratch);
    await runPrisma(['migrate', 'deploy'], {
      databaseUrl: scratchUrl,
      doneWhen: /All migrations have been successfully applied|No pending migrations to apply/,
    });
    await checkMigrationsApplied(scratchUrl, migrationCount);
    // The comment (what templateMatches reads) and the flags follow the database through the
    // rename, which is the one step that makes the template visible under its name.
    const comment = JSON.stringify({ migrationsSha256: sha256, builtAt: new Date().toISOString() });
    await admin.query(`COMMENT ON DATABASE ${quoteIdent(scratch)} IS ${literal(comment)}`);
    await renameDatabase(admin, scratch, name);
    await admin.query(`ALTER DATABASE ${quoteIdent(name)} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
  } catch (error) {
    await dropDatabasesLike(admin, likeEscape(scratch)).catch(() => undefined);
    throw new Error(`could not build the test template database ${name} from prisma/migrations: ${error}`);
  }
  process.stderr.write(`[test-support] template ${name} built in ${Date.now() - started} ms\n`);
}

/** @param {string} url @param {number} expected */
async function checkMigrationsApplied(url, expected) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      'SELECT count(*)::int AS applied FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    if (rows[0].applied !== expected) {
      throw new Error(`prisma migrate deploy applied ${rows[0].applied} of ${expected} migrations`);
    }
  } finally {
    await client.end();
  }
}

/**
 * The stopped CLI's session can outlive it by a moment: end it, then rename.
 * @param {import('pg').Client} admin @param {string} from @param {string} to */
async function renameDatabase(admin, from, to) {
  for (let attempt = 1; ; attempt += 1) {
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [from]);
    try {
      await admin.query(`ALTER DATABASE ${quoteIdent(from)} RENAME TO ${quoteIdent(to)}`);
      return;
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** @param {import('pg').Client} admin @param {string} current */
async function dropOldTemplates(admin, current) {
  const { rows } = await admin.query(
    `SELECT datname, shobj_description(oid, 'pg_database') AS comment FROM pg_database
      WHERE datname LIKE $1 AND datname <> $2 AND datname NOT LIKE '%\\_build\\_%'`,
    [`${likeEscape(TEMPLATE_PREFIX)}%`, current],
  );
  const byAge = rows
    .map((row) => ({ name: row.datname, builtAt: builtAtOf(row.comment) }))
    .sort((a, b) => b.builtAt - a.builtAt);
  for (const old of byAge.slice(TEMPLATES_KEPT)) await dropDatabasesLike(admin, likeEscape(old.name));
}

/** @param {string | null} comment */
function builtAtOf(comment) {
  try {
    return Date.parse(JSON.parse(comment ?? '{}').builtAt) || 0;
  } catch {
    return 0;
  }
}

/** @param {import('pg').Client} admin @param {string} pattern a LIKE pattern */
async function dropDatabasesLike(admin, pattern) {
  const { rows } = await admin.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [pattern]);
  for (const { datname } of rows) {
    await admin.query(`ALTER DATABASE ${quoteIdent(datname)} WITH IS_TEMPLATE false`);
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`);
  }
}

/** @param {string} text */
function likeEscape(text) {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** @param {string} text */
function literal(text) {
  return `'${text.replace(/'/g, "''")}'`;
}

module.exports = { prepareDatabaseTemplate };
