import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper';
import type { WebhookProvider, WorkerApp } from '@numbers/contracts';
import { WorkerWiringError } from '../handlers/wiring-check';
import type { WebhookEventHandlerInstance } from './handles-webhook-event';
import { WEBHOOK_EVENT_HANDLER, type WebhookEventHandlerKey } from './webhook-event-handler.decorator';
import { webhookHandlerProblems, type DiscoveredWebhookHandler } from './webhook-handler-wiring';

export const WEBHOOK_EVENTS_OPTIONS = Symbol('WebhookEventsOptions');

export interface WebhookEventsOptions {
  app: WorkerApp;
}

interface Found extends DiscoveredWebhookHandler {
  instance: WebhookEventHandlerInstance;
}

/**
 * The `@WebhookEventHandler` classes of the running app, by provider and event type (Nest
 * discovery). At module init it refuses to boot (`WorkerWiringError`) when a type has two
 * handlers or a handler sits in a worker that never receives its type.
 */
@Injectable()
export class WebhookEventHandlerRegistry implements OnModuleInit {
  private found?: Found[];

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(WEBHOOK_EVENTS_OPTIONS) private readonly options: WebhookEventsOptions,
  ) {}

  onModuleInit(): void {
    const problems = webhookHandlerProblems(this.options.app, this.discovered());
    if (problems.length > 0) throw new WorkerWiringError(this.options.app, problems);
  }

  discovered(): DiscoveredWebhookHandler[] {
    return this.all().map(({ provider, eventType, className }) => ({ provider, eventType, className }));
  }

  /** The one handler of this provider's event type, or undefined (the event is ignored). */
  handlerFor(provider: WebhookProvider, eventType: string): WebhookEventHandlerInstance | undefined {
    return this.all().find((h) => h.provider === provider && h.eventType === eventType)?.instance;
  }

  private all(): Found[] {
    this.found ??= this.discovery
      .getProviders({ metadataKey: WEBHOOK_EVENT_HANDLER.KEY })
      .filter((w: InstanceWrapper) => w.instance)
      .flatMap((w: InstanceWrapper) => {
        const key = this.discovery.getMetadataByDecorator(WEBHOOK_EVENT_HANDLER, w) as WebhookEventHandlerKey;
        const instance = w.instance as WebhookEventHandlerInstance;
        return key.eventTypes.map((eventType) => ({ provider: key.provider, eventType, className: instance.constructor.name, instance }));
      });
    return this.found;
  }
}
