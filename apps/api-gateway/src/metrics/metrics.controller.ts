import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { MetricsRegistry } from '@numbers/messaging';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator';

/**
 * `GET /metrics`: the gateway's metrics in Prometheus' text format, for the scraper (not the
 * public API: no key, not in the OpenAPI document; keep it off the public load balancer).
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsRegistry) {}

  @Get()
  @Header('cache-control', 'no-store')
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    reply.type(this.metrics.contentType);
    return this.metrics.text();
  }
}
