import { Injectable, Logger } from '@nestjs/common';
import type { PhoneNumber } from '../database/rows';
import { StuckNumbersRepository, type StuckNumberKind } from './stuck-numbers.repository';

export interface SweepOptions {
  /** The sweep's job name, for the logs. */
  sweep: string;
  /** How long a number of this kind must have been quiet to be acted on. */
  quietForMs: number;
  /** The most numbers one run acts on. */
  limit: number;
  now?: Date;
}

export interface SweepAction {
  numberId: string;
  kind: StuckNumberKind;
  /** What was done, in a few words (`released: no checkout session`). */
  action: string;
}

export interface SweepFailure {
  numberId: string;
  kind: StuckNumberKind;
  error: string;
}

export interface SweepReport {
  acted: SweepAction[];
  failed: SweepFailure[];
}

/**
 * Runs a sweep over the stuck numbers of one kind: up to `limit` of them, one at a time. Each is
 * claimed by one statement that stamps its `swept_at` (`StuckNumbersRepository.claimNext`: two
 * runs or two replicas never take the same number, and the number is then left alone for the
 * threshold, whatever its action does), then handed to `act` with no transaction open: `act` may
 * ask a provider, then changes the number through the lifecycle or writes outbox rows in its own
 * short transaction or single statement, and says what it did. A number whose `act` throws is
 * reported in `failed` and waits the threshold again; the sweep goes on to the next.
 */
@Injectable()
export class StuckNumberSweep {
  private readonly logger = new Logger(StuckNumberSweep.name);

  constructor(private readonly numbers: StuckNumbersRepository) {}

  async run(kind: StuckNumberKind, options: SweepOptions, act: (number: PhoneNumber) => Promise<string>): Promise<SweepReport> {
    const now = options.now ?? new Date();
    const quietBefore = new Date(now.getTime() - options.quietForMs);
    const report: SweepReport = { acted: [], failed: [] };
    for (let taken = 0; taken < options.limit; taken++) {
      const number = await this.numbers.claimNext(kind, quietBefore, now);
      if (!number) break;
      try {
        const action = await act(number);
        report.acted.push({ numberId: number.id, kind, action });
        this.logger.log({ sweep: options.sweep, kind, numberId: number.id, action }, `sweep: ${action}`);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        report.failed.push({ numberId: number.id, kind, error: message });
        this.logger.warn({ sweep: options.sweep, kind, numberId: number.id, err: message }, 'sweep: acting on the number failed');
      }
    }
    return report;
  }
}

/** Thrown by a sweep job whose run left numbers it could not act on: the job fails, naming them. */
export class SweepFailedError extends Error {
  constructor(
    readonly sweep: string,
    readonly failed: SweepFailure[],
  ) {
    super(`${sweep}: ${failed.length} number(s) failed: ${failed.map((f) => `${f.numberId} (${f.kind}): ${f.error}`).join('; ')}`);
    this.name = 'SweepFailedError';
  }
}
