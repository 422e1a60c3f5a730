// The admin CLI: `npm run cli -- <command> [options]`. Prints JSON on stdout.
import { parseArgs } from 'node:util';
import { createAccountWithKey, createApiKey, revokeApiKey } from '@numbers/persistence';
import { DomainError, isId } from '@numbers/domain';
import { withDatabase } from './lib/database';

const USAGE = `usage: npm run cli -- <command> [options]

  account:create --name <name> [--plan free|starter|growth|scale]   {accountId, apiKey, profileId}
  key:create --account <accountId> [--name <label>]                {id, prefix, apiKey}
  key:revoke --key <prefix | key id | whole key>                   {revoked}
`;

type Command = (options: Record<string, string | undefined>) => Promise<unknown>;

function required(options: Record<string, string | undefined>, name: string): string {
  const value = options[name];
  if (!value) throw new UsageError(`--${name} is required`);
  return value;
}

class UsageError extends Error {}

const COMMANDS: Record<string, Command> = {
  'account:create': (o) =>
    withDatabase(async (db) => {
      const created = await createAccountWithKey(db, { name: required(o, 'name'), planCode: o['plan'] ?? 'growth' });
      return { accountId: created.accountId, apiKey: created.apiKey, profileId: created.profileId };
    }),
  'key:create': (o) =>
    withDatabase(async (db) => {
      const accountId = required(o, 'account');
      if (!isId(accountId)) throw new UsageError('--account must be an account id (24 hex characters)');
      if (!(await db.account.findUnique({ where: { id: accountId }, select: { id: true } }))) {
        throw new UsageError(`no account ${accountId}`);
      }
      const key = await createApiKey(db, accountId, o['name'] ?? 'default');
      return { id: key.id, prefix: key.prefix, apiKey: key.apiKey };
    }),
  'key:revoke': (o) => withDatabase(async (db) => ({ revoked: await revokeApiKey(db, required(o, 'key')) })),
};

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  const run = command ? COMMANDS[command] : undefined;
  if (!run) {
    process.stderr.write(USAGE);
    return 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: { name: { type: 'string' }, plan: { type: 'string' }, account: { type: 'string' }, key: { type: 'string' } },
    strict: true,
  });
  try {
    process.stdout.write(`${JSON.stringify(await run(values))}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof DomainError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

main().then((code) => process.exit(code));
