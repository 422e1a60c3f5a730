export * from './country.repository';
export * from './call-rate.repository';
