// @ts-check
// A hash of everything under prisma/migrations: the template database is rebuilt exactly when
// a migration is added or edited.
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { migrationsDir } = require('./workspace-paths');

/** @returns {{ sha256: string, migrationCount: number }} */
function migrationsFingerprint() {
  const hash = createHash('sha256');
  const files = listFiles(migrationsDir).sort();
  for (const relative of files) {
    hash.update(relative).update('\0').update(fs.readFileSync(path.join(migrationsDir, relative))).update('\0');
  }
  const migrationCount = fs
    .readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(migrationsDir, entry.name, 'migration.sql')))
    .length;
  return { sha256: hash.digest('hex'), migrationCount };
}

/** @param {string} dir @param {string} [prefix] @returns {string[]} */
function listFiles(dir, prefix = '') {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(prefix, entry.name);
    return entry.isDirectory() ? listFiles(path.join(dir, entry.name), relative) : [relative];
  });
}

module.exports = { migrationsFingerprint };
