export * from './number-events';
