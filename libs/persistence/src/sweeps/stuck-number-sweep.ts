import { Injectable, Logger } from '@nestjs/common';
import { Database, type Tx } from '../database/database';
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
 * Runs a sweep over the stuck numbers of one kind: up to `limit` of them, each in a transaction
 * of its own that claims the number (`StuckNumbersRepository.claimNext`: two runs or two replicas
 * never take the same number), hands it to `act` with the transaction, stamps `swept_at` and
 * commits. `act` changes the number through the lifecycle or writes outbox rows in `tx`, and says
 * what it did. A number whose `act` throws is rolled back, stamped (so it waits the threshold
 * again instead of failing on every run), reported in `failed`, and the sweep goes on to the next.
 */
@Injectable()
export class StuckNumberSweep {
  private readonly logger = new Logger(StuckNumberSweep.name);

  constructor(
    private readonly db: Database,
    private readonly numbers: StuckNumbersRepository,
  ) {}

  async run(kind: StuckNumberKind, options: SweepOptions, act: (number: PhoneNumber, tx: Tx) => Promise<string>): Promise<SweepReport> {
    const now = options.now ?? new Date();
    const quietBefore = new Date(now.getTime() - options.quietForMs);
    const report: SweepReport = { acted: [], failed: [] };
    const done: string[] = [];
    while (done.length < options.limit) {
      const claim: { numberId: string | null } = { numberId: null };
      try {
        const acted = await this.db.transaction().execute(async (tx) => {
          const number = await this.numbers.claimNext(tx, kind, quietBefore, done);
          if (!number) return null;
          claim.numberId = number.id;
          const action = await act(number, tx);
          await this.numbers.markSwept(number.id, now, tx);
          return { numberId: number.id, kind, action };
        });
        if (!acted) break;
        done.push(acted.numberId);
        report.acted.push(acted);
        this.logger.log({ sweep: options.sweep, kind, numberId: acted.numberId, action: acted.action }, `sweep: ${acted.action}`);
      } catch (error) {
        const numberId = claim.numberId;
        if (numberId === null) throw error; // nothing claimed: the database itself failed
        done.push(numberId);
        const message = error instanceof Error ? error.message : String(error);
        report.failed.push({ numberId, kind, error: message });
        this.logger.warn({ sweep: options.sweep, kind, numberId, err: message }, 'sweep: acting on the number failed');
        await this.numbers.markSwept(numberId, now);
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
