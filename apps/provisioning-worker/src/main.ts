import './tracing';
import 'reflect-metadata';
import { bootstrapWorker } from '@numbers/messaging';
import { ProvisioningWorkerModule } from './provisioning-worker.module';

void bootstrapWorker('provisioning-worker', ProvisioningWorkerModule);
