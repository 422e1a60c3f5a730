import nx from '@nx/eslint-plugin';

// The layers, lowest first; a project may import only the layers its row names. Drawn in
// docs/architecture.md ("The layers").
const LIBS = ['layer:contracts', 'layer:config', 'layer:domain', 'layer:persistence', 'layer:providers', 'layer:messaging'];
const TESTS = 'layer:test-support';

const DRIVERS = ['pg', 'kysely', '@prisma/client'];
const restricted = (names, message) => names.map((name) => ({ name, message }));

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/.nx', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  {
    files: ['**/*.ts'],
    rules: {
      // The folder layout is the architecture: apps depend on libs, libs never on apps, and each
      // lib only on the layers below it (test-support is reachable for their tests; the import
      // rules below keep it out of product code).
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: [
            { sourceTag: 'layer:contracts', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'layer:config', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'layer:domain', onlyDependOnLibsWithTags: ['layer:contracts'] },
            { sourceTag: 'layer:persistence', onlyDependOnLibsWithTags: ['layer:contracts', 'layer:config', 'layer:domain', TESTS] },
            { sourceTag: 'layer:providers', onlyDependOnLibsWithTags: ['layer:contracts', 'layer:config', 'layer:domain', TESTS] },
            { sourceTag: 'layer:messaging', onlyDependOnLibsWithTags: ['layer:contracts', 'layer:config', 'layer:domain', 'layer:persistence', TESTS] },
            { sourceTag: TESTS, onlyDependOnLibsWithTags: LIBS },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: [...LIBS, TESTS] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // A promise nobody awaits loses its error: type-aware, over the one program typecheck builds.
    files: ['**/*.ts'],
    ignores: ['**/jest.config.ts'],
    languageOptions: { parserOptions: { project: './tsconfig.check.json', tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error' },
  },
  {
    // Apps reach the database, queues and providers only through libs/persistence, libs/messaging
    // and libs/providers (the simulator is a provider itself).
    files: ['apps/**/*.ts'],
    ignores: ['apps/provider-simulator/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...restricted(DRIVERS, 'Apps reach PostgreSQL through a repository of @numbers/persistence.'),
            ...restricted(['ioredis', 'bullmq'], 'Apps reach Redis and the queues through @numbers/messaging.'),
            ...restricted(['stripe', 'telnyx'], 'Apps reach providers through the ports of @numbers/providers.'),
            ...restricted(['@numbers/test-support'], 'test-support is for tests and benchmarks only.'),
          ],
          patterns: [{ group: ['telnyx/*', 'stripe/*', 'bullmq/*', 'kysely/*', 'pg/*'], message: 'Apps reach drivers and provider SDKs through libs.' }],
        },
      ],
    },
  },
  {
    // SQL lives in libs/persistence only.
    files: ['libs/**/*.ts'],
    ignores: ['libs/persistence/**', 'libs/test-support/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...restricted(DRIVERS, 'SQL lives in libs/persistence: add a repository method there.'),
            ...restricted(['@numbers/test-support'], 'test-support is for tests and benchmarks only.'),
          ],
        },
      ],
    },
  },
  {
    // Tests and test beds may use the harness (a later block for the same files replaces the rule).
    files: ['**/*.spec.ts', '**/testing/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['scripts/**/*.ts', 'test/**/*.ts', '**/*.spec.ts', 'libs/test-support/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
];
