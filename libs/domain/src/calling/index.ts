export * from './call-permission';
export * from './call-state';
export * from './calling-settings';
export * from './call-cursor';
export * from './call-estimate';
export * from './inbound-call';
