export * from './stock-watch.repository';
