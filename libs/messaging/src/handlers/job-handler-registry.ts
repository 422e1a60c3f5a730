import { Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper';
import type { JobName } from '@numbers/contracts';
import type { HandlesJob } from './handles-job';
import { JOB_HANDLER } from './job-handler.decorator';
import type { DiscoveredHandler } from './wiring-check';

interface Found extends DiscoveredHandler {
  instance: HandlesJob<JobName>;
}

/** Finds the `@JobHandler` classes of the running app (Nest discovery). */
@Injectable()
export class JobHandlerRegistry {
  private handlers?: Found[];

  constructor(private readonly discovery: DiscoveryService) {}

  discoveredHandlers(): DiscoveredHandler[] {
    return this.found().map(({ job, className }) => ({ job, className }));
  }

  /** The one handler of `name`, or undefined (the boot check guarantees one for owned jobs). */
  handlerFor(name: string): HandlesJob<JobName> | undefined {
    return this.found().find((h) => h.job === name)?.instance;
  }

  private found(): Found[] {
    this.handlers ??= this.discovery
      .getProviders({ metadataKey: JOB_HANDLER.KEY })
      .filter((w: InstanceWrapper) => w.instance)
      .map((w: InstanceWrapper) => ({
        job: this.discovery.getMetadataByDecorator(JOB_HANDLER, w) as string,
        className: (w.instance as object).constructor.name,
        instance: w.instance as HandlesJob<JobName>,
      }));
    return this.handlers;
  }
}
