import { createHash } from 'node:crypto';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type { Pool, PoolClient, QueryConfig, QueryResult } from 'pg';
import { refuseSecondConnection } from './one-connection';

/** Statement texts seen, by name; past the cap a text runs unnamed (texts built from varying lists). */
const statementNames = new Map<string, string>();
const MAX_NAMED_STATEMENTS = 500;

/**
 * `text` as a named statement: pg prepares it once per connection and then skips parsing and
 * planning it again, and the hot statements run thousands of times with the same text.
 */
export function namedStatement(text: string, values: readonly unknown[]): QueryConfig {
  let name = statementNames.get(text);
  if (!name && statementNames.size < MAX_NAMED_STATEMENTS) {
    name = `numbers_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    statementNames.set(text, name);
  }
  return name ? { name, text, values: [...values] } : { text, values: [...values] };
}

/** Statements a pool has sent, each counted once: BEGIN, COMMIT and ROLLBACK are statements too. */
export class StatementCount {
  value = 0;
}

/**
 * The pool as Kysely's Postgres driver sees it: every statement named (prepared) when `named`,
 * counted in `count`, and always run through pg's callback API. pg's promise API kept a large result alive past the
 * next young-generation collection, which then promoted it: a 500-number list promoted about
 * 3 MB per scavenge through the promise API and almost nothing through the callback
 * (`npm run bench -- list-ab`, `--trace-gc`; docs/performance.md). One wrapper per pg client,
 * so the driver keeps its one connection object per client. A connection asked for from inside a
 * transaction's work is refused (`refuseSecondConnection`).
 */
export function kyselyPool(pool: Pool, named: boolean, count: StatementCount): PostgresPool {
  const wrappers = new WeakMap<PoolClient, PostgresPoolClient>();
  const statement = named ? namedStatement : (text: string, values: readonly unknown[]): QueryConfig => ({ text, values: [...values] });
  return {
    options: pool.options,
    async connect() {
      refuseSecondConnection(pool);
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (!wrapper) {
        const query = (text: string, values: readonly unknown[]) => {
          count.value += 1;
          return new Promise<QueryResult>((resolve, reject) => client.query(statement(text, values), (error, result) => (error ? reject(error) : resolve(result))));
        };
        wrapper = {
          processID: (client as PoolClient & { processID?: number }).processID,
          query: query as unknown as PostgresPoolClient['query'],
          release: (destroy?: boolean) => client.release(destroy),
        };
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
}
