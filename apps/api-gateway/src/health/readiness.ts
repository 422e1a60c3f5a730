import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';

/**
 * Whether this gateway wants traffic: from the moment it starts to stop, the health check answers
 * 503 and every response closes its connection, so load balancers and clients move to another
 * replica while the requests already here finish.
 */
@Injectable()
export class Readiness {
  private stopping = false;

  constructor(private readonly indicators: HealthIndicatorService) {}

  get ready(): boolean {
    return !this.stopping;
  }

  stop(): void {
    this.stopping = true;
  }

  check(key: string) {
    const session = this.indicators.check(key);
    return this.stopping ? session.down({ message: 'shutting down' }) : session.up();
  }
}
