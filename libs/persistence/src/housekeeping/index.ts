export * from './record-pruning.repository';
