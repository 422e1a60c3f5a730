import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { stopTracing } from './index';

/** Flushes the spans still buffered when the app shuts down, after its modules have closed. */
@Injectable()
export class TracingShutdown implements OnApplicationShutdown {
  onApplicationShutdown(): Promise<void> {
    return stopTracing();
  }
}
