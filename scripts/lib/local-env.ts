import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

export const REPO_ROOT = join(__dirname, '..', '..');

/**
 * The settings for running on one machine: env/local.env under the whole process environment, so
 * `DATABASE_URL=... npm start` points it elsewhere and a setting the file does not list
 * (TELNYX_MESSAGING_PROFILE_ID, an OTEL_* variable) still reaches the processes.
 */
export function localEnv(environment: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const file = parseEnv(readFileSync(join(REPO_ROOT, 'env', 'local.env'), 'utf8')) as Record<string, string>;
  const given = Object.entries(environment).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return { ...file, ...Object.fromEntries(given) };
}
