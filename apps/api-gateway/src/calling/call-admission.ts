import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import { DomainError } from '@numbers/domain';
import { QueueWait } from '@numbers/messaging';

/** How often one gateway reads the calling queue's wait: a few reads a second, whatever the request rate. */
export const DIAL_WAIT_READ_MS = 200;

/**
 * Whether a new call can be dialed in time: the calling queue's oldest waiting job (a dial, or a
 * follow-up waiting behind the dials) must have waited less than CALL_ADMISSION_MAX_WAIT_MS, else the
 * call is refused with 503 CALLS_BUSY before anything is written. The queue is read at most every
 * DIAL_WAIT_READ_MS (a request waits for a reading only when the last is over twice that old);
 * between reads the oldest job is taken to be still waiting (an upper bound).
 * Redis out of reach admits: the call's row and job go to PostgreSQL, and a refusal is only for load.
 */
@Injectable()
export class CallAdmission {
  private readonly logger = new Logger(CallAdmission.name);
  /** When the oldest waiting job was added (null: none waited), and when that was read. */
  private reading?: { oldestSince: number | null; readAt: number };
  private reading$?: Promise<void>;

  constructor(
    private readonly queueWait: QueueWait,
    private readonly config: AppConfig,
  ) {}

  async assertAdmits(now = Date.now()): Promise<void> {
    const age = this.reading ? now - this.reading.readAt : Infinity;
    if (age >= DIAL_WAIT_READ_MS) {
      const read = (this.reading$ ??= this.read().finally(() => (this.reading$ = undefined)));
      // Under steady load the last reading serves while the next is read; after a pause it is waited for.
      if (age >= 2 * DIAL_WAIT_READ_MS) await read;
    }
    const oldestSince = this.reading?.oldestSince ?? null;
    const waitedMs = oldestSince === null ? 0 : now - oldestSince;
    const maxWaitMs = this.config.calling.admissionMaxWaitMs;
    if (waitedMs > maxWaitMs) {
      throw new DomainError('CALLS_BUSY', `Calls are waiting ${(waitedMs / 1000).toFixed(1)} s to be dialed (the bound is ${maxWaitMs / 1000} s): retry shortly`, {
        details: { waitMs: waitedMs, maxWaitMs },
      });
    }
  }

  private async read(): Promise<void> {
    try {
      this.reading = { oldestSince: await this.queueWait.oldestWaitingSince('calling'), readAt: Date.now() };
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'could not read the calling queue: calls are admitted');
      this.reading = { oldestSince: null, readAt: Date.now() };
    }
  }
}
