export * from './phone-number-read.repository';
export * from './connected-number.repository';
