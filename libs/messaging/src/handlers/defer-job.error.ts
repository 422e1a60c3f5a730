/**
 * Thrown by a handler that cannot start its work yet for a reason outside the job (a shared
 * resource is busy): the job goes back to the queue, delayed by `delayMs`, without spending an
 * attempt or counting as a failure.
 */
export class DeferJob extends Error {
  constructor(
    readonly delayMs: number,
    reason: string,
  ) {
    super(reason);
    this.name = 'DeferJob';
  }
}
