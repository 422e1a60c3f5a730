import { JobRouter, QueueProcessor } from '@numbers/messaging';

/** Takes the `calling` queue's jobs (none are registered yet) and routes each to its handler. */
@QueueProcessor('calling')
export class CallingProcessor extends JobRouter {}
