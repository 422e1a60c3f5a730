import { Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { JobName } from '@numbers/contracts';
import type { HandlesJob } from './handles-job';

/** Metadata the registry discovers handlers by. */
export const JOB_HANDLER = DiscoveryService.createDecorator<JobName>();

type HandlerClass<K extends JobName> = abstract new (...args: never[]) => HandlesJob<K>;

/**
 * Marks the one class that runs job `name`. The class must implement `HandlesJob<name>`, so
 * its `handle` takes that job's payload; it is also made injectable.
 *
 *   @JobHandler('release-number')
 *   export class ReleaseNumberHandler implements HandlesJob<'release-number'> { ... }
 */
export function JobHandler<K extends JobName>(name: K): <C extends HandlerClass<K>>(target: C) => void {
  return (target) => {
    Injectable()(target as unknown as new (...args: unknown[]) => unknown);
    JOB_HANDLER(name)(target as unknown as new (...args: unknown[]) => unknown);
  };
}
