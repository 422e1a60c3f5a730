export * from './regulatory-case.repository';
export * from './kyc-document.repository';
export * from './kyc-vault';
export * from './kyc-retention.repository';
export * from './kyc-link.repository';
