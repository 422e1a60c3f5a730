// The yardstick of the list benchmark: bare Fastify + pg answering the gateway's own list
// query (the same SQL text, from the repository), with no framework, auth or logging.
import Fastify from 'fastify';
import { Kysely, PostgresDialect } from 'kysely';
import { Pool } from 'pg';
import { listViewFor } from '@numbers/domain';
import { phoneNumberListQuery, type DB } from '@numbers/persistence';

const databaseUrl = process.env['DATABASE_URL'];
const port = Number(process.env['BARE_PORT']);
const accountId = process.env['BENCH_ACCOUNT_ID'];
if (!databaseUrl || !port || !accountId) throw new Error('DATABASE_URL, BARE_PORT and BENCH_ACCOUNT_ID are required');

const pool = new Pool({ connectionString: databaseUrl, max: 10 });
// Only compiles the statement to its text and values: the query runs on the pool itself.
const compiler = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
const app = Fastify();

app.get('/v1/whatsapp/phone-numbers', async () => {
  const view = listViewFor(undefined, new Date());
  const list = phoneNumberListQuery({ accountId, statuses: view.statuses }).compile(compiler);
  const [numbers, connected] = await Promise.all([
    pool.query(list.sql, [...list.parameters]),
    pool.query(
      'SELECT id, phone_number, display_name, profile_id, connected_at FROM connected_numbers WHERE account_id = $1 ORDER BY connected_at DESC, id DESC',
      [accountId],
    ),
  ]);
  return { numbers: numbers.rows, connected: connected.rows, sandbox: null };
});

app.get('/health', async () => ({ status: 'ok' }));

void app.listen({ port, host: '127.0.0.1' }).then(() => process.stdout.write('bare list server ready\n'));
