export * from './sip-credential-sealer';
export * from './call.repository';
export * from './call-permission.repository';
