import { Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper';
import type { JobName, QueueName } from '@numbers/contracts';
import { QUEUE_PROCESSOR } from '../workers/queue-processor.decorator';
import type { JobRouter } from '../workers/job-router';
import type { HandlesJob } from './handles-job';
import { JOB_HANDLER } from './job-handler.decorator';
import type { DiscoveredHandler, DiscoveredProcessor } from './wiring-check';

interface Found<T> {
  key: string;
  className: string;
  instance: T;
}

/** Finds the `@JobHandler` and `@QueueProcessor` classes of the running app (Nest discovery). */
@Injectable()
export class JobHandlerRegistry {
  private handlers?: Found<HandlesJob<JobName>>[];
  private processors?: Found<JobRouter>[];

  constructor(private readonly discovery: DiscoveryService) {}

  discoveredHandlers(): DiscoveredHandler[] {
    return this.foundHandlers().map(({ key, className }) => ({ job: key, className }));
  }

  discoveredProcessors(): DiscoveredProcessor[] {
    return this.foundProcessors().map(({ key, className }) => ({ queue: key, className }));
  }

  /** The one handler of `name`, or undefined (the boot check guarantees one for owned jobs). */
  handlerFor(name: string): HandlesJob<JobName> | undefined {
    return this.foundHandlers().find((h) => h.key === name)?.instance;
  }

  processorFor(queue: QueueName): JobRouter | undefined {
    return this.foundProcessors().find((p) => p.key === queue)?.instance;
  }

  private foundHandlers(): Found<HandlesJob<JobName>>[] {
    this.handlers ??= this.find<HandlesJob<JobName>>(JOB_HANDLER);
    return this.handlers;
  }

  private foundProcessors(): Found<JobRouter>[] {
    this.processors ??= this.find<JobRouter>(QUEUE_PROCESSOR);
    return this.processors;
  }

  private find<T>(decorator: typeof JOB_HANDLER | typeof QUEUE_PROCESSOR): Found<T>[] {
    const wrappers: InstanceWrapper[] = this.discovery.getProviders({ metadataKey: decorator.KEY });
    return wrappers
      .filter((w) => w.instance)
      .map((w) => ({
        key: this.discovery.getMetadataByDecorator(decorator, w) as string,
        className: (w.instance as object).constructor.name,
        instance: w.instance as T,
      }));
  }
}
