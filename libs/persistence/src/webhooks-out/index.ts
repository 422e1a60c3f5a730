export * from './customer-event.inserts';
export * from './customer-event.repository';
export * from './webhook-endpoint.repository';
export * from './webhook-delivery.repository';
export * from './webhook-secret-sealer';
