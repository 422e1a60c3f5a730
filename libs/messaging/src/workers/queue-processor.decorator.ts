import { Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { QueueName } from '@numbers/contracts';
import type { JobRouter } from './job-router';

export const QUEUE_PROCESSOR = DiscoveryService.createDecorator<QueueName>();

/**
 * Marks a worker app's processor for one queue: the class that BullMQ hands the queue's jobs
 * to. It extends `JobRouter`, which routes each job by name to its one handler.
 *
 *   @QueueProcessor('provisioning')
 *   export class ProvisioningProcessor extends JobRouter {}
 */
export function QueueProcessor(queue: QueueName): (target: abstract new (...args: never[]) => JobRouter) => void {
  return (target) => {
    Injectable()(target as unknown as new (...args: unknown[]) => unknown);
    QUEUE_PROCESSOR(queue)(target as unknown as new (...args: unknown[]) => unknown);
  };
}
