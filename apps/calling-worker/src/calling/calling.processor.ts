import { JobRouter, QueueProcessor } from '@numbers/messaging';

/** Takes the `calling` queue's jobs and routes each to its one handler. */
@QueueProcessor('calling')
export class CallingProcessor extends JobRouter {}
