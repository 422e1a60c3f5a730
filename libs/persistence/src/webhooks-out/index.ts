export * from './webhook-secret-sealer';
