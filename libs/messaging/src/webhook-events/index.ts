export * from './handles-webhook-event';
export * from './webhook-event-handler.decorator';
export * from './webhook-event-handler-registry';
export * from './webhook-handler-wiring';
export * from './webhook-event-processor';
export * from './webhook-events.module';
