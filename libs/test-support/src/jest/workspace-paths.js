// @ts-check
// Where the workspace's files are, seen from the harness (libs/test-support/src/jest).
const path = require('node:path');

const workspaceRoot = path.resolve(__dirname, '../../../..');

module.exports = {
  workspaceRoot,
  schemaPath: path.join(workspaceRoot, 'prisma', 'schema.prisma'),
  migrationsDir: path.join(workspaceRoot, 'prisma', 'migrations'),
  generatedSchemaPath: path.join(workspaceRoot, 'node_modules', '.prisma', 'client', 'schema.prisma'),
};
