export * from './database';
export * from './rows';
export * from './cte';
