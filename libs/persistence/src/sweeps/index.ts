export * from './stuck-numbers.repository';
export * from './stuck-number-sweep';
