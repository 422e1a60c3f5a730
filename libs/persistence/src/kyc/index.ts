export * from './regulatory-case.repository';
export * from './kyc-document.repository';
