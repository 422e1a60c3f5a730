export * from './billing-account.repository';
export * from './billing-state.repository';
export * from './subscription-item.repository';
