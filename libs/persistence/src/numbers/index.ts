export * from './phone-number-read.repository';
export * from './phone-number.records';
export * from './connected-number.repository';
