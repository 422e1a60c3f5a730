// The harness's Prisma runner (plain JS, shared with jest's global setup): stops the CLI once it
// reports success instead of waiting out the schema engine's ~10 s timer.
const { runPrisma } = require('../../../libs/test-support/src/jest/run-prisma') as {
  runPrisma: (args: string[], options: { databaseUrl: string; doneWhen: RegExp }) => Promise<string>;
};

/** `prisma migrate deploy` on the run's database. */
export async function migrate(databaseUrl: string): Promise<void> {
  await runPrisma(['migrate', 'deploy'], { databaseUrl, doneWhen: /All migrations have been successfully applied|No pending migrations to apply/ });
}
