import './tracing';
import 'reflect-metadata';
import { bootstrapWorker } from '@numbers/messaging';
import { CallingWorkerModule } from './calling-worker.module';

void bootstrapWorker('calling-worker', CallingWorkerModule, { subscribeToEvents: true });
