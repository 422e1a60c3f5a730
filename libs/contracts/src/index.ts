export * from './queues';
export * from './retry-policies';
export * from './jobs';
export * from './schedules';
export * from './events';
export * from './number-status';
export * from './webhooks';
export * from './customer-events';
