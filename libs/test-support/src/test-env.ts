import fs from 'node:fs';
import { parseEnv } from 'node:util';
import { testRedisUrl } from './harness-env';
import { fromWorkspaceRoot } from './workspace-root';

export type TestEnv = Record<string, string>;

/**
 * What a test changes in env/local.env. DATABASE_URL and REDIS_PREFIX are required, so a test
 * can never fall through to the development database or keys. A `*_PORT` override also moves
 * every local URL that used the old port (GATEWAY_PORT moves PUBLIC_BASE_URL, ...).
 * An `undefined` value removes the variable (to test a missing setting).
 */
export type TestEnvOverrides = {
  DATABASE_URL: string;
  REDIS_PREFIX: string;
} & Record<string, string | undefined>;

const LOCAL_ENV_FILE = 'env/local.env';
let localEnv: TestEnv | undefined;

/**
 * A complete environment for one of the apps, built the way production builds it: the
 * settings of env/local.env with this test's database, Redis prefix and ports. REDIS_URL
 * defaults to the Redis of this test run; METRICS_PORT to 0 (each worker's metrics and health on
 * a free port: test files run in parallel, and a worker's default port would clash).
 */
export function testEnv(overrides: TestEnvOverrides): TestEnv {
  const base = { ...readLocalEnv() };
  const env = movePorts({ ...base, REDIS_URL: overrides.REDIS_URL ?? testRedisUrl(), METRICS_PORT: '0' }, portMoves(base, overrides));
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

function readLocalEnv(): TestEnv {
  localEnv ??= Object.fromEntries(
    Object.entries(parseEnv(fs.readFileSync(fromWorkspaceRoot(LOCAL_ENV_FILE), 'utf8'))).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
  return localEnv;
}

/** Old port to new, for each `*_PORT` the overrides change. */
function portMoves(base: TestEnv, overrides: TestEnvOverrides): Map<string, string> {
  const moves = new Map<string, string>();
  for (const [key, value] of Object.entries(overrides)) {
    const old = base[key];
    if (key.endsWith('_PORT') && value !== undefined && old && /^\d+$/.test(old) && old !== value) {
      moves.set(old, value);
    }
  }
  return moves;
}

/** Rewrites the port of every local URL at once, so one move never feeds another. */
function movePorts(env: TestEnv, moves: Map<string, string>): TestEnv {
  if (moves.size === 0) return env;
  const ports = [...moves.keys()].join('|');
  const localUrl = new RegExp(`(//(?:127\\.0\\.0\\.1|localhost|\\[::1\\]):)(${ports})(?=[/?#]|$)`, 'g');
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => [key, value.replace(localUrl, (_, host: string, port: string) => `${host}${moves.get(port)}`)]),
  );
}
