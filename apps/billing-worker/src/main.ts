import './tracing';
import 'reflect-metadata';
import { bootstrapWorker } from '@numbers/messaging';
import { BillingWorkerModule } from './billing-worker.module';

void bootstrapWorker('billing-worker', BillingWorkerModule);
