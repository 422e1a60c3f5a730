export * from './purchase.repository';
