import { JobRouter, QueueProcessor } from '@numbers/messaging';

/** Takes the `billing` queue's jobs and routes each to its one handler in this folder. */
@QueueProcessor('billing')
export class BillingProcessor extends JobRouter {}
