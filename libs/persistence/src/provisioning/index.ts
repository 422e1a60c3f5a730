export * from './provisioning-number.repository';
