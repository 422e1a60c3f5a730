export * from './country.repository';
