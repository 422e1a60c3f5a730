import { Injectable } from '@nestjs/common';
import { Database } from '@numbers/persistence';
import { Counter } from 'prom-client';
import { MetricsRegistry } from './metrics-registry';

/**
 * `numbers_database_statements_total`: the statements this process has sent to PostgreSQL,
 * BEGIN and COMMIT included, read from the pool's count on scrape (counting is an increment per
 * statement). Its rate against the work done shows the round trips a number or a request costs.
 */
@Injectable()
export class DatabaseStatementMetrics {
  constructor({ registry }: MetricsRegistry, database: Database) {
    const counter: Counter = new Counter({
      name: 'numbers_database_statements_total',
      help: 'Statements this process has sent to PostgreSQL (BEGIN, COMMIT and ROLLBACK included)',
      registers: [registry],
      collect() {
        counter.reset();
        counter.inc(database.statementsSent);
      },
    });
  }
}
