import type { ZodTypeAny, z } from 'zod';

export class ConfigError extends Error {}

/**
 * Validates the environment against a schema once. A missing or malformed setting stops
 * start-up with a message that names every offending variable (never its value: some are secrets).
 */
export function loadConfig<S extends ZodTypeAny>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new ConfigError(`Invalid configuration:\n${problems}`);
  }
  return parsed.data;
}
