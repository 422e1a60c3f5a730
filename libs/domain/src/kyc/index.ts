export * from './kyc-requirements';
export * from './kyc-regions';
export * from './kyc-address';
export * from './kyc-tax-ids';
export * from './kyc-file';
export * from './kyc-submission';
export * from './carrier-requirements';
