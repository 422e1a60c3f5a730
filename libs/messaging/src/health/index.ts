export * from './dependency-health.indicators';
export * from './readiness';
export * from './with-timeout';
export * from './worker-health.indicators';
export * from './worker-health-checks';
