import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { decideTransition, followUpsOf, numberEventOf, type LifecycleEvent, type TransitionDecision } from '@numbers/domain';
import type { NumberStatus } from '@numbers/contracts';
import { Database, type Tx } from '../database/database';
import { cte } from '../database/cte';
import type { Actor, PhoneNumber } from '../database/rows';
import { outboxInsert } from '../outbox/outbox.repository';
import { customerEventInserts, NO_CUSTOMER_EVENT } from '../webhooks-out/customer-event.inserts';
import { PhoneNumberRecords } from '../numbers/phone-number.records';
import { historyInsert } from './status-history';

/** The fields a transition may write together with the new state. */
type PatchField =
  | 'failureReason'
  | 'suspensionReason'
  | 'telnyxOrderId'
  | 'telnyxNumberId'
  | 'phoneNumber'
  | 'requirementGroupId'
  | 'regulatoryDeclineReason'
  | 'metaVerificationStatus'
  | 'metaPhoneNumberId'
  | 'provisionedAt'
  | 'givenBackPhoneNumbers'
  | 'registrantName';

export type NumberPatch = Partial<Pick<PhoneNumber, PatchField>>;

export interface TransitionContext {
  /** Why: a webhook event id, a job id, a request id, a human reason. */
  cause: string;
  actor: Actor;
  /** Fields written together with the new state (only when the event applies). */
  patch?: NumberPatch;
}

export interface TransitionResult {
  applied: boolean;
  decision: TransitionDecision;
  number: PhoneNumber;
}

export class NumberNotFoundError extends Error {
  constructor(readonly numberId: string) {
    super(`number ${numberId} not found`);
  }
}

/** Another writer moved the number between our read and our write; the caller retries. */
export class ConcurrentTransitionError extends Error {
  constructor(readonly numberId: string) {
    super(`number ${numberId} changed concurrently`);
  }
}

const MAX_ATTEMPTS = 5;

/** Timestamps a state stamps on the number when it is entered. */
function stampsFor(to: NumberStatus, now: Date): Partial<Pick<PhoneNumber, 'provisionedAt' | 'activatedAt' | 'regulatoryDeclinedAt' | 'releasedAt'>> {
  switch (to) {
    case 'verifying':
      return { provisionedAt: now };
    case 'active':
      return { activatedAt: now };
    case 'regulatory_declined':
      return { regulatoryDeclinedAt: now };
    case 'released':
      return { releasedAt: now };
    default:
      return {};
  }
}

/**
 * The one place a number changes state. The lifecycle table decides on the number as read; one
 * statement then updates the number if its version is still the one read, and writes the history
 * row, the outbox rows for what must follow and the customer's event (with its deliveries) only
 * if it did: atomic without a transaction of its own, and safe inside the caller's. An event that does not fit changes nothing and is
 * recorded with applied = false. A number moved by another writer in between is read again
 * (in the caller's transaction: ConcurrentTransitionError, the caller retries).
 */
@Injectable()
export class NumberLifecycle {
  constructor(
    private readonly db: Database,
    private readonly numbers: PhoneNumberRecords,
  ) {}

  /**
   * `target`: the number's id, or its row as the caller just read it (in `tx`, when given),
   * which saves reading it again.
   */
  async apply(target: string | PhoneNumber, event: LifecycleEvent, context: TransitionContext, tx?: Tx): Promise<TransitionResult> {
    const q = tx ?? this.db;
    const numberId = typeof target === 'string' ? target : target.id;
    for (let attempt = 1; ; attempt++) {
      const number = attempt === 1 && typeof target !== 'string' ? target : await this.numbers.byId(numberId, tx);
      if (!number) throw new NumberNotFoundError(numberId);
      const decision = decideTransition(number.status, event);
      const now = new Date();

      if (!decision.ok) {
        await q
          .insertInto('numberStatusHistory')
          .values({ numberId, fromStatus: number.status, toStatus: null, event, applied: false, cause: `${context.cause} (${decision.reason})`, actor: context.actor, at: now })
          .execute();
        return { applied: false, decision, number };
      }

      const followUps = followUpsOf({ numberId, accountId: number.accountId, paidFirst: number.paidFirst, from: decision.from, to: decision.to, event, at: now });
      const moved = sql`EXISTS (SELECT 1 FROM moved)`;
      const notice = numberEventOf(decision.from, { ...number, ...context.patch, status: decision.to }, now);
      const customerEvent = notice ? customerEventInserts(number.accountId, notice, moved) : NO_CUSTOMER_EVENT;
      const fresh = await q
        .with('moved', (db) =>
          db
            .updateTable('phoneNumbers')
            .set({ ...context.patch, ...stampsFor(decision.to, now), status: decision.to, version: sql`version + 1`, updatedAt: now })
            .where('id', '=', numberId)
            .where('version', '=', number.version)
            .returningAll(),
        )
        .with('history', () => cte(historyInsert('moved', [{ from: decision.from, to: decision.to, event, applied: true, at: now }], context.cause, context.actor)))
        .with('outbox', () => cte(outboxInsert(followUps.jobs, followUps.events, moved)))
        .with('customer_event', () => cte(customerEvent.event))
        .with('customer_deliveries', () => cte(customerEvent.deliveries))
        .selectFrom('moved')
        .selectAll()
        .executeTakeFirst();
      if (fresh) return { applied: true, decision, number: fresh };
      // A row the caller read may just be old: read it again, once, before calling it a race.
      const mayBeOld = attempt === 1 && typeof target !== 'string';
      if ((tx && !mayBeOld) || attempt >= MAX_ATTEMPTS) throw new ConcurrentTransitionError(numberId);
    }
  }
}
