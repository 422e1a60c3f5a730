// The admin CLI: `npm run cli -- <command> [options]`. Prints JSON on stdout (the ledger: a table, or JSON with --json).
import { parseArgs } from 'node:util';
import { AccountRepository, ApiKeyRepository, FailedJobRepository, LedgerRepository, SecretResealing, type FailedJob } from '@numbers/persistence';
import { DomainError, isId, ledgerTotalCents, renderLedgerTable } from '@numbers/domain';
import { withDatabase, type ScriptDatabase } from './lib/database';

const USAGE = `usage: npm run cli -- <command> [options]

  account:create --name <name> [--plan free|starter|growth|scale]   {accountId, apiKey, profileId}
  key:create --account <accountId> [--name <label>]                {id, prefix, apiKey}
  key:revoke --key <prefix | key id | whole key>                   {revoked}
  ledger --account <accountId> [--json]                            every money movement, a table with its total
                                                                   ({accountId, totalCents, entries[]} with --json)
  failed-jobs:list [--status waiting|redriven|resolved|abandoned] [--limit <n>]
                                                                   jobs that failed for good, newest first (failed_jobs)
  failed-jobs:redrive --id <failed job id>                         publishes it again now, through the outbox
                                                                   (waiting or abandoned ones)
  secrets:reseal                                                   seals again, under the current keys, every stored secret and KYC
                                                                   record under a retired key (and encrypts KYC stored before
                                                                   encryption): after it, *_OLD_KEYS may be emptied. {<kind>: count}
`;

const FAILED_JOB_STATUSES: readonly FailedJob['status'][] = ['waiting', 'redriven', 'resolved', 'abandoned'];

type Options = Record<string, string | boolean | undefined>;
type Command = (options: Options) => Promise<unknown>;

/** A command's answer printed as it is, not as JSON. */
class Text {
  constructor(readonly text: string) {}
}

function required(options: Options, name: string): string {
  const value = options[name];
  if (typeof value !== 'string' || !value) throw new UsageError(`--${name} is required`);
  return value;
}

function optional(options: Options, name: string): string | undefined {
  const value = options[name];
  return typeof value === 'string' ? value : undefined;
}

async function existingAccount({ db }: ScriptDatabase, options: Options): Promise<string> {
  const accountId = required(options, 'account');
  if (!isId(accountId)) throw new UsageError('--account must be an account id (24 hex characters)');
  if (!(await db.selectFrom('accounts').select('id').where('id', '=', accountId).executeTakeFirst())) throw new UsageError(`no account ${accountId}`);
  return accountId;
}

class UsageError extends Error {}

const COMMANDS: Record<string, Command> = {
  'account:create': (o) =>
    withDatabase(async ({ get }) => {
      const created = await get(AccountRepository).createAccountWithKey({ name: required(o, 'name'), planCode: optional(o, 'plan') ?? 'growth' });
      return { accountId: created.accountId, apiKey: created.apiKey, profileId: created.profileId };
    }),
  'key:create': (o) =>
    withDatabase(async (persistence) => {
      const accountId = await existingAccount(persistence, o);
      const key = await persistence.get(ApiKeyRepository).createKey(accountId, optional(o, 'name') ?? 'default');
      return { id: key.id, prefix: key.prefix, apiKey: key.apiKey };
    }),
  'key:revoke': (o) => withDatabase(async ({ get }) => ({ revoked: await get(ApiKeyRepository).revokeKey(required(o, 'key')) })),
  ledger: (o) =>
    withDatabase(async (persistence) => {
      const accountId = await existingAccount(persistence, o);
      const entries = await new LedgerRepository(persistence.db).listForAccount(accountId);
      if (o['json']) return { accountId, totalCents: ledgerTotalCents(entries), entries };
      return new Text(renderLedgerTable(accountId, entries));
    }),
  'failed-jobs:list': (o) =>
    withDatabase(async ({ db }) => {
      const status = optional(o, 'status');
      if (status !== undefined && !(FAILED_JOB_STATUSES as readonly string[]).includes(status)) {
        throw new UsageError(`--status must be one of ${FAILED_JOB_STATUSES.join(', ')}`);
      }
      const limit = Number(optional(o, 'limit') ?? 50);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError('--limit must be 1 to 1000');
      return new FailedJobRepository(db).list({ status: status as FailedJob['status'] | undefined, limit });
    }),
  'failed-jobs:redrive': (o) =>
    withDatabase(async ({ db }) => {
      const id = required(o, 'id');
      if (!/^\d+$/.test(id)) throw new UsageError('--id must be a failed job id (a number)');
      const redriven = await new FailedJobRepository(db).redrive(id);
      if (!redriven) throw new UsageError(`no failed job ${id} waiting or abandoned`);
      return { id: redriven.id, name: redriven.name, status: redriven.status, redrives: redriven.redrives, outboxId: redriven.outboxId };
    }),
  'secrets:reseal': () => withDatabase(async ({ get }) => get(SecretResealing).run()),
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
    options: {
      name: { type: 'string' },
      plan: { type: 'string' },
      account: { type: 'string' },
      key: { type: 'string' },
      json: { type: 'boolean' },
      status: { type: 'string' },
      limit: { type: 'string' },
      id: { type: 'string' },
    },
    strict: true,
  });
  try {
    const answer = await run(values);
    process.stdout.write(`${answer instanceof Text ? answer.text : JSON.stringify(answer)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof DomainError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
