import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { DatabaseHealthIndicator, Readiness, RedisHealthIndicator } from '@numbers/messaging';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly readiness: Readiness,
  ) {}

  /** The process answers: nothing else is asked, so a dependency's outage never gets the gateway restarted. */
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the gateway answers' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** 200 when PostgreSQL and Redis both answer and the gateway is not stopping, else 503 with the terminus report. */
  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: PostgreSQL, Redis, and not shutting down' })
  ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    return this.readinessReport(reply);
  }

  /** The same as /health/ready, kept for probes configured before it existed. */
  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness (the same as /health/ready)' })
  check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    return this.readinessReport(reply);
  }

  private async readinessReport(reply: FastifyReply): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.readiness.check('gateway'),
        () => this.database.check('database'),
        () => this.redis.check('redis'),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      reply.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }
}
