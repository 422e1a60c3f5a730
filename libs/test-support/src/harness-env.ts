import contract from './jest/harness-contract.json';

const ENV = contract.env;

/**
 * The facts jest global setup (./jest/global-setup.js) hands to test files. Each accessor
 * throws the reason when the fact is missing: the service did not answer (with the command
 * that starts it), or global setup did not run (the project does not use jest.preset.js).
 */
export function pgAdminUrl(): string {
  return required(ENV.pgAdminUrl, ENV.pgUnavailable);
}

export function templateDatabaseName(): string {
  return required(ENV.templateDb, ENV.pgUnavailable);
}

/** The Redis server of this test run. */
export function testRedisUrl(): string {
  return required(ENV.redisUrl, ENV.redisUnavailable);
}

/** Names this jest run; stable across its workers. */
export function testRunId(): string {
  return process.env[ENV.runId] ?? `pid_${process.pid.toString(36)}`;
}

function required(name: string, unavailableName: string): string {
  const value = process.env[name];
  if (value) return value;
  const unavailable = process.env[unavailableName];
  if (unavailable) throw new Error(unavailable);
  const mode = process.env[ENV.servicesMode];
  throw new Error(
    mode === 'none'
      ? `${name} is not set: ${ENV.servicesMode}=none skips PostgreSQL and Redis; unset it to run this test.`
      : `${name} is not set: the test-support jest global setup did not run. ` +
          "Use the workspace preset (preset: '../../jest.preset.js') in this project's jest.config.ts.",
  );
}
