export * from './number-events';
export * from './call-events';
