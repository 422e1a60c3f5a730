export * from './lifecycle/lifecycle-events';
export * from './lifecycle/transition-table';
export * from './lifecycle/decide-transition';
export * from './lifecycle/billable';
export * from './lifecycle/follow-ups';
export * from './ids/ids';
export * from './errors/domain-error';
export * from './numbers/list-view';
export { NUMBER_STATUSES, isNumberStatus, type NumberStatus } from '@numbers/contracts';
