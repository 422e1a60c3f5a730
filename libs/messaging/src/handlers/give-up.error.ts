import { UnrecoverableError } from 'bullmq';

/**
 * Thrown by a handler whose work can never succeed (a row that does not exist, a provider's
 * final refusal): the job fails at once with this reason instead of being retried.
 */
export class GiveUpError extends UnrecoverableError {
  constructor(message: string) {
    super(message);
    this.name = 'GiveUpError';
  }
}
