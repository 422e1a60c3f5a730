import './tracing';
import 'reflect-metadata';
import { bootstrapWorker } from '@numbers/messaging';
import { DeliveryWorkerModule } from './delivery-worker.module';

void bootstrapWorker('delivery-worker', DeliveryWorkerModule);
