import { Pool, type PoolClient } from 'pg';
import { measureBareRate, THIS_PROCESS, type BareRate } from './bare-rate';
import { pidsWhoseCommandHas } from './process-cpu';

/** The simplest statement that still makes a round trip with a parameter and a row back. */
const NOOP_STATEMENT = { name: 'bench_noop', text: 'SELECT $1::int AS n' };

/**
 * PostgreSQL's rate for statements that do nothing: `statements` runs of one named (prepared)
 * statement over `connections` pg connections from this process, each connection running its
 * next as soon as the last answered, through pg's callback API as the system's pool does. CPU of
 * this process and of the database's backends (`database` must be one only this uses now). The
 * floor under every statement of the system, BEGIN and COMMIT included: a round trip, no planning,
 * no table, no WAL.
 */
export async function pgNoop(databaseUrl: string, database: string, connections: number, statements: number): Promise<BareRate> {
  const pool = new Pool({ connectionString: databaseUrl, max: connections });
  try {
    const clients = await Promise.all(Array.from({ length: connections }, () => pool.connect()));
    const run = (client: PoolClient, value: number) =>
      new Promise<void>((resolve, reject) => client.query({ ...NOOP_STATEMENT, values: [value] }, (error) => (error ? reject(error) : resolve())));
    // Prepares the statement on each connection, as the system's pools have theirs before a run.
    await Promise.all(clients.map((client) => run(client, 0)));
    let next = 0;
    const parts = [THIS_PROCESS, { name: 'postgres', pids: () => pidsWhoseCommandHas('postgres: ', ` ${database} `) }];
    const rate = await measureBareRate(statements, parts, async () => {
      await Promise.all(
        clients.map(async (client) => {
          while (next < statements) {
            next += 1;
            await run(client, next);
          }
        }),
      );
    });
    for (const client of clients) client.release();
    return rate;
  } finally {
    await pool.end();
  }
}
