// The admin CLI: `npm run cli -- <command> [arguments] [options]`. Prints JSON on stdout (the ledger: a table, or JSON with --json).
import { parseArgs } from 'node:util';
import { DomainError } from '@numbers/domain';
import { COMMANDS, Text, USAGE, UsageError } from './cli/commands';
import { withDatabase } from './lib/database';

async function main(): Promise<number> {
  const [name, ...rest] = process.argv.slice(2);
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    process.stderr.write(USAGE);
    return 2;
  }
  try {
    const { values, positionals } = parseArgs({
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
        all: { type: 'boolean' },
      },
      allowPositionals: true,
      strict: true,
    });
    const answer = await withDatabase((persistence) => command(persistence, { options: values, positionals }));
    process.stdout.write(`${answer instanceof Text ? answer.text : JSON.stringify(answer)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof DomainError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${(error as Error).message}\n`);
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
