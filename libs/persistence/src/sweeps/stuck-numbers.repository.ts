import { Injectable } from '@nestjs/common';
import type { NumberStatus } from '@numbers/contracts';
import { sql, type Expression, type SqlBool } from 'kysely';
import { Database } from '../database/database';
import type { PhoneNumber } from '../database/rows';

/**
 * The ways a number can be stuck: a state, and what the number is still waiting for in it.
 *
 * - `checkout_without_session`: `pending_payment` and no Checkout Session recorded (the gateway
 *   died between committing the number and creating the session: nobody can pay for it);
 * - `checkout_unsettled`: `pending_payment` with a session whose completed or expired webhook
 *   has not come (yet);
 * - `provisioning_stalled`: `provisioning`, the carrier order not placed (the job was lost) or
 *   not completed (the webhook was lost);
 * - `registration_not_started`: `verifying` and no activation code requested (the job was lost);
 * - `whatsapp_code_overdue`: `verifying`, the code requested and not verified (the SMS was lost).
 */
export type StuckNumberKind =
  | 'checkout_without_session'
  | 'checkout_unsettled'
  | 'provisioning_stalled'
  | 'registration_not_started'
  | 'whatsapp_code_overdue';

const KINDS: Record<StuckNumberKind, { status: NumberStatus; waitingFor: Expression<SqlBool> }> = {
  checkout_without_session: { status: 'pending_payment', waitingFor: sql<SqlBool>`n.stripe_checkout_session_id IS NULL` },
  checkout_unsettled: { status: 'pending_payment', waitingFor: sql<SqlBool>`n.stripe_checkout_session_id IS NOT NULL` },
  provisioning_stalled: { status: 'provisioning', waitingFor: sql<SqlBool>`TRUE` },
  registration_not_started: { status: 'verifying', waitingFor: sql<SqlBool>`n.meta_verification_status IS NULL` },
  whatsapp_code_overdue: { status: 'verifying', waitingFor: sql<SqlBool>`n.meta_verification_status IS NOT NULL` },
};

/**
 * Finds stuck numbers for the sweeps. A number is quiet since the latest of: when it entered its
 * state (its applied history row, else its creation), when a sweep last acted on it
 * (`swept_at`), when its WhatsApp code was last requested.
 */
@Injectable()
export class StuckNumbersRepository {
  constructor(private readonly db: Database) {}

  /**
   * Claims the oldest number of this kind quiet since before `quietBefore` by stamping its
   * `swept_at` with `at`, in one statement, and returns it as updated, or null when there is none.
   * The row is locked only while the statement runs (`FOR UPDATE SKIP LOCKED`: a number another
   * run is claiming is passed over); once stamped it is no longer quiet, so no other run takes it,
   * and one whose action then fails waits the threshold again (`at` is after `quietBefore`).
   */
  async claimNext(kind: StuckNumberKind, quietBefore: Date, at: Date): Promise<PhoneNumber | null> {
    const { status, waitingFor } = KINDS[kind];
    const number = await this.db
      .updateTable('phoneNumbers')
      .set({ sweptAt: at, updatedAt: at })
      .where('id', '=', (eb) =>
        eb
          .selectFrom('phoneNumbers as n')
          .select('n.id')
          .where('n.status', '=', status)
          .where(waitingFor)
          .where(
            sql<SqlBool>`GREATEST(
              COALESCE(
                (SELECT max(h.at) FROM number_status_history h WHERE h.number_id = n.id AND h.applied AND h.to_status = n.status),
                n.created_at),
              n.swept_at,
              n.whatsapp_code_requested_at) < ${quietBefore}`,
          )
          .orderBy('n.createdAt')
          .orderBy('n.id')
          .limit(1)
          .forUpdate('n')
          .skipLocked(),
      )
      .returningAll()
      .executeTakeFirst();
    return number ?? null;
  }
}
