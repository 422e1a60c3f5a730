export * from './webhook-event.repository';
export * from './webhook-inbox';
