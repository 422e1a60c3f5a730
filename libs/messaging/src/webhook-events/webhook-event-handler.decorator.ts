import { Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { WebhookProvider } from '@numbers/contracts';
import type { WebhookEventHandlerInstance } from './handles-webhook-event';

export interface WebhookEventHandlerKey {
  provider: WebhookProvider;
  eventTypes: readonly string[];
}

/** Metadata the registry discovers per-type handlers by. */
export const WEBHOOK_EVENT_HANDLER = DiscoveryService.createDecorator<WebhookEventHandlerKey>();

type HandlerClass<P extends WebhookProvider> = abstract new (...args: never[]) => WebhookEventHandlerInstance<P>;

/**
 * Marks the class that handles one or more event types of a provider; it is also made
 * injectable. List it in the providers of the worker that owns those types (`webhookJobFor`),
 * which must import `WebhookEventsModule.forWorker(app)`: that worker refuses to boot when a type
 * has two handlers or its handler sits in another worker.
 *
 *   @WebhookEventHandler('stripe', 'checkout.session.completed')
 *   export class CheckoutCompletedHandler implements HandlesWebhookEvent<'stripe'> { ... }
 */
export function WebhookEventHandler<P extends WebhookProvider>(
  provider: P,
  eventType: string | readonly string[],
): <C extends HandlerClass<P>>(target: C) => void {
  const eventTypes = typeof eventType === 'string' ? [eventType] : [...eventType];
  return (target) => {
    Injectable()(target as unknown as new (...args: unknown[]) => unknown);
    WEBHOOK_EVENT_HANDLER({ provider, eventTypes })(target as unknown as new (...args: unknown[]) => unknown);
  };
}
