export * from './api-key.repository';
export * from './account.repository';
