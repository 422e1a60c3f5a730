// The admin CLI's commands, apart from argv and stdout (scripts/cli.ts) so tests call them.
import { isWebhookProvider } from '@numbers/contracts';
import { isId, ledgerTotalCents, renderLedgerTable } from '@numbers/domain';
import {
  AccountRepository,
  ApiKeyRepository,
  FailedJobRepository,
  LedgerRepository,
  NumberHistoryRepository,
  SecretResealing,
  WebhookEventRepository,
  WebhookInbox,
  type FailedJob,
} from '@numbers/persistence';
import type { ScriptDatabase } from '../lib/database';

export const USAGE = `usage: npm run cli -- <command> [arguments] [options]

  account:create --name <name> [--plan free|starter|growth|scale]   {accountId, apiKey, profileId}
  account:disable <accountId>                                      its API keys stop working at once (401)
  account:enable <accountId>                                       they work again
  key:create --account <accountId> [--name <label>]                {id, prefix, apiKey}
  key:revoke --key <prefix | key id | whole key>                   {revoked}
  ledger --account <accountId> [--json]                            every money movement, a table with its total
                                                                   ({accountId, totalCents, entries[]} with --json)
  jobs:failed [--status waiting|redriven|resolved|abandoned] [--limit <n>]
                                                                   jobs that failed for good, newest first (failed_jobs)
  jobs:retry <failed job id> | --all                               publishes it (or every waiting or abandoned one)
                                                                   again now, through the outbox
  webhook:reprocess <webhook event id | provider:event id>         runs a stored provider event through its job again
  number:history <numberId>                                        transitions (cause, actor), profile moves, jobs and provider events
                                                                   of the number, oldest first
  secrets:reseal                                                   seals again, under the current keys, every stored secret and KYC
                                                                   record under a retired key (and encrypts KYC stored before
                                                                   encryption): after it, *_OLD_KEYS may be emptied. {<kind>: count}

  failed-jobs:list and failed-jobs:redrive --id <id> are the older names of jobs:failed and jobs:retry <id>.
`;

const FAILED_JOB_STATUSES: readonly FailedJob['status'][] = ['waiting', 'redriven', 'resolved', 'abandoned'];
/** Failures one transaction of `jobs:retry --all` re-drives. */
const RETRY_ALL_BATCH = 200;

/** A command's options (`--name value`, `--flag`) and its positional arguments. */
export interface CliArgs {
  options: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export type Command = (persistence: ScriptDatabase, args: CliArgs) => Promise<unknown>;

/** A mistake of the caller: printed, exit code 2. */
export class UsageError extends Error {}

/** A command's answer printed as it is, not as JSON. */
export class Text {
  constructor(readonly text: string) {}
}

function required({ options }: CliArgs, name: string): string {
  const value = options[name];
  if (typeof value !== 'string' || !value) throw new UsageError(`--${name} is required`);
  return value;
}

function optional({ options }: CliArgs, name: string): string | undefined {
  const value = options[name];
  return typeof value === 'string' ? value : undefined;
}

/** The one positional argument a command takes. */
function argument({ positionals }: CliArgs, what: string): string {
  if (positionals.length !== 1 || !positionals[0]) throw new UsageError(`expected one argument: ${what}`);
  return positionals[0];
}

function accountIdOf(value: string, flag: string): string {
  if (!isId(value)) throw new UsageError(`${flag} must be an account id (24 hex characters)`);
  return value;
}

async function existingAccount({ get }: ScriptDatabase, accountId: string): Promise<string> {
  if (!(await get(AccountRepository).exists(accountId))) throw new UsageError(`no account ${accountId}`);
  return accountId;
}

function failedJobId(value: string | undefined, what: string): string {
  if (!value || !/^\d+$/.test(value)) throw new UsageError(`${what} must be a failed job id (a number)`);
  return value;
}

const listFailedJobs: Command = ({ db }, args) => {
  const status = optional(args, 'status');
  if (status !== undefined && !(FAILED_JOB_STATUSES as readonly string[]).includes(status)) {
    throw new UsageError(`--status must be one of ${FAILED_JOB_STATUSES.join(', ')}`);
  }
  const limit = Number(optional(args, 'limit') ?? 50);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError('--limit must be 1 to 1000');
  return new FailedJobRepository(db).list({ status: status as FailedJob['status'] | undefined, limit });
};

const redrivenSummary = (row: FailedJob) => ({ id: row.id, name: row.name, status: row.status, redrives: row.redrives, outboxId: row.outboxId });

async function retryOne({ db }: ScriptDatabase, id: string) {
  const redriven = await new FailedJobRepository(db).redrive(id);
  if (!redriven) throw new UsageError(`no failed job ${id} waiting or abandoned`);
  return redrivenSummary(redriven);
}

const setDisabled =
  (disabled: boolean): Command =>
  async ({ get }, args) => {
    const accountId = accountIdOf(argument(args, '<accountId>'), '<accountId>');
    const changed = await get(AccountRepository).setDisabled(accountId, disabled);
    if (!changed) throw new UsageError(`no account ${accountId}`);
    return { accountId, disabled, disabledAt: changed.disabledAt };
  };

/** `<our id>`, or `<provider>:<event id>` (also as history causes write it: `webhook:<provider>:<event id>`). */
async function storedEventId({ db }: ScriptDatabase, reference: string): Promise<string> {
  if (isId(reference)) return reference;
  const [, provider, eventId] = /^(?:webhook:)?([a-z]+):(.+)$/.exec(reference) ?? [];
  if (!provider || !isWebhookProvider(provider)) throw new UsageError('expected a webhook event id (24 hex characters) or <stripe|telnyx|meta>:<provider event id>');
  const event = await new WebhookEventRepository(db).findByEventId(provider, eventId);
  if (!event) throw new UsageError(`no stored ${provider} event ${eventId}`);
  return event.id;
}

export const COMMANDS: Record<string, Command> = {
  'account:create': async ({ get }, args) => {
    const created = await get(AccountRepository).createAccountWithKey({ name: required(args, 'name'), planCode: optional(args, 'plan') ?? 'growth' });
    return { accountId: created.accountId, apiKey: created.apiKey, profileId: created.profileId };
  },
  'account:disable': setDisabled(true),
  'account:enable': setDisabled(false),
  'key:create': async (persistence, args) => {
    const accountId = await existingAccount(persistence, accountIdOf(required(args, 'account'), '--account'));
    const key = await persistence.get(ApiKeyRepository).createKey(accountId, optional(args, 'name') ?? 'default');
    return { id: key.id, prefix: key.prefix, apiKey: key.apiKey };
  },
  'key:revoke': async ({ get }, args) => ({ revoked: await get(ApiKeyRepository).revokeKey(required(args, 'key')) }),
  ledger: async (persistence, args) => {
    const accountId = await existingAccount(persistence, accountIdOf(required(args, 'account'), '--account'));
    const entries = await new LedgerRepository(persistence.db).listForAccount(accountId);
    if (args.options['json']) return { accountId, totalCents: ledgerTotalCents(entries), entries };
    return new Text(renderLedgerTable(accountId, entries));
  },
  'jobs:failed': listFailedJobs,
  'failed-jobs:list': listFailedJobs,
  'jobs:retry': async (persistence, args) => {
    if (args.options['all']) {
      if (args.positionals.length > 0) throw new UsageError('either <failed job id> or --all, not both');
      const redriven = await new FailedJobRepository(persistence.db).redriveAll(RETRY_ALL_BATCH);
      return { redriven: redriven.length, jobs: redriven.map(redrivenSummary) };
    }
    return retryOne(persistence, failedJobId(argument(args, '<failed job id> or --all'), '<failed job id>'));
  },
  'failed-jobs:redrive': (persistence, args) => retryOne(persistence, failedJobId(optional(args, 'id'), '--id')),
  'webhook:reprocess': async (persistence, args) => {
    const id = await storedEventId(persistence, argument(args, '<webhook event id>'));
    const done = await new WebhookInbox(persistence.db).reprocess(id);
    if (done.kind === 'not_found') throw new UsageError(`no stored webhook event ${id}`);
    if (done.kind === 'not_routed') throw new UsageError(`no worker acts on ${done.eventType}: nothing to run`);
    return { ...done.event, previousOutcome: done.previousOutcome, job: done.job };
  },
  'number:history': async ({ db }, args) => {
    const numberId = argument(args, '<numberId>');
    if (!isId(numberId)) throw new UsageError('<numberId> must be a number id (24 hex characters)');
    const history = await new NumberHistoryRepository(db).of(numberId);
    if (!history) throw new UsageError(`no number ${numberId}`);
    return history;
  },
  'secrets:reseal': ({ get }) => get(SecretResealing).run(),
};
