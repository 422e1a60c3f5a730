import type { WorkerApp } from '@numbers/contracts';

/** How a process uses messaging; given to `MessagingModule.forWorker` / `forProducer`. */
export interface MessagingOptions {
  /** The worker app this process is: it consumes the queues `QUEUE_OWNER` gives it. */
  app?: WorkerApp;
  /** Run the outbox relay in this process (every worker does). */
  relay: boolean;
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
