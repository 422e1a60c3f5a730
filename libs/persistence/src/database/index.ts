export * from './database';
export * from './rows';
export * from './cte';
export * from './compiled-once';
export { SecondConnectionError } from './one-connection';
