// One Jest setup for every project: SWC with decorator metadata (NestJS needs it) and the
// workspace's path aliases read from tsconfig.base.json.
const path = require('path');
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias.replace('/', '\\/')}$`,
    path.join(__dirname, target),
  ]),
);

module.exports = {
  testEnvironment: 'node',
  testMatch: ['**/?(*.)+(spec|test).ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Kysely ships ES modules only: SWC turns them into CommonJS for Jest like our own files.
  transformIgnorePatterns: ['/node_modules/(?!kysely/)'],
  transform: {
    '^.+/node_modules/kysely/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  moduleNameMapper,
  globalSetup: path.join(__dirname, 'libs/test-support/src/jest/global-setup.js'),
  globalTeardown: path.join(__dirname, 'libs/test-support/src/jest/global-teardown.js'),
};
