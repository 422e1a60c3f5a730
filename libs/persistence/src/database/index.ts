export * from './database';
export * from './rows';
