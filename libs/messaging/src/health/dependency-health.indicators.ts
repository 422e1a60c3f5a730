import { Injectable, Logger } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { DatabaseHealthRepository } from '@numbers/persistence';
import { RedisPing } from '../redis/request-redis';
import { withTimeout } from './with-timeout';

const logger = new Logger('Health');

/** The public report says only what is down; the reason (hosts, databases) goes to the log. */
export function down(session: ReturnType<HealthIndicatorService['check']>, what: string, error: unknown) {
  logger.warn({ err: error }, `${what} health check failed`);
  return session.down({ message: `${what} did not answer` });
}

/** PostgreSQL answers `SELECT 1` through the app's own pool. */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly database: DatabaseHealthRepository,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(key: string) {
    const session = this.indicators.check(key);
    try {
      await withTimeout(this.database.ping(), 'PostgreSQL');
      return session.up();
    } catch (error) {
      return down(session, 'PostgreSQL', error);
    }
  }
}

/** Redis answers PING on the request path's connection (fails fast: RequestRedisModule). */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly redis: RedisPing,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(key: string) {
    const session = this.indicators.check(key);
    try {
      const pong = await withTimeout(this.redis.ping(), 'Redis');
      return pong === 'PONG' ? session.up() : down(session, 'Redis', new Error(`unexpected reply ${pong}`));
    } catch (error) {
      return down(session, 'Redis', error);
    }
  }
}
