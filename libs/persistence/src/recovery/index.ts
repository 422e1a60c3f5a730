export * from './failed-job.repository';
