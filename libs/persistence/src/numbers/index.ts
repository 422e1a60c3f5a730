export * from './phone-number-read.repository';
export * from './phone-number.records';
export * from './account-number.records';
export * from './calling-settings.repository';
export * from './connected-number.repository';
export * from './number-stats.repository';
export * from './number-history.repository';
export * from './number-profile.repository';
