import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

export const REPO_ROOT = join(__dirname, '..', '..');

/**
 * The settings for running on one machine: env/local.env, overridden by the process
 * environment (so `DATABASE_URL=... npm start` points it elsewhere).
 */
export function localEnv(): Record<string, string> {
  const file = parseEnv(readFileSync(join(REPO_ROOT, 'env', 'local.env'), 'utf8')) as Record<string, string>;
  const overrides = Object.fromEntries(
    Object.keys(file)
      .filter((name) => process.env[name] !== undefined)
      .map((name) => [name, process.env[name] as string]),
  );
  return { ...file, ...overrides };
}
