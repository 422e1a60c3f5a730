export * from './prisma/prisma.service';
export * from './outbox/outbox.repository';
export * from './lifecycle/number-lifecycle';
export * from './persistence.module';
export * from './accounts';
export * from './numbers';
export * from './catalog';
