// @ts-check
// `prisma generate` only when the generated client is missing or was generated from another
// schema. Prisma formats the schema it copies into the client, so both are compared with their
// whitespace collapsed.
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const { schemaPath, generatedSchemaPath } = require('./workspace-paths');
const { runPrisma } = require('./run-prisma');

/** @param {string} file @returns {string | null} */
function schemaFingerprint(file) {
  if (!fs.existsSync(file)) return null;
  const normalized = fs.readFileSync(file, 'utf8').replace(/\s+/g, ' ').trim();
  return createHash('sha256').update(normalized).digest('hex');
}

function isPrismaClientFresh() {
  const generated = schemaFingerprint(generatedSchemaPath);
  return generated !== null && generated === schemaFingerprint(schemaPath);
}

/** @param {string} databaseUrl any URL: generate does not connect, but the CLI wants one */
async function generatePrismaClient(databaseUrl) {
  process.stderr.write('[test-support] prisma/schema.prisma changed: running prisma generate\n');
  await runPrisma(['generate'], { databaseUrl, doneWhen: /Generated Prisma Client/ });
  if (!isPrismaClientFresh()) {
    throw new Error(`prisma generate ran but ${generatedSchemaPath} still differs from ${schemaPath}`);
  }
}

module.exports = { isPrismaClientFresh, generatePrismaClient };
