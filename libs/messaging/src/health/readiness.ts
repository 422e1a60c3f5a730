import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';

/**
 * Whether this process wants traffic or work: from the moment it starts to stop, its readiness
 * check answers 503 (and the gateway closes every connection it answers on), so load balancers
 * and orchestrators move on while the work already here finishes.
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
