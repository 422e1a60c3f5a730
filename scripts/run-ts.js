// Runs a TypeScript script of this repository with SWC (decorator metadata and the
// workspace's path aliases included): `node scripts/run-ts.js scripts/cli.ts account:create`.
const path = require('node:path');

process.env.SWC_NODE_PROJECT ??= path.join(__dirname, '..', 'tsconfig.base.json');
require('@swc-node/register');
require('reflect-metadata');

const [, , script, ...args] = process.argv;
if (!script) {
  console.error('usage: node scripts/run-ts.js <script.ts> [args...]');
  process.exit(2);
}
process.argv = [process.argv[0], path.resolve(script), ...args];
require(path.resolve(script));
