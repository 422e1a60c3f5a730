import { Injectable } from '@nestjs/common';
import type { NumberStatus } from '@numbers/contracts';
import { sql, type Expression, type SqlBool } from 'kysely';
import { Database } from '../database/database';
import type { PhoneNumber } from '../database/rows';
import { BILLING_STARTED } from '../billing/billing-state.repository';

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
 * - `whatsapp_code_overdue`: `verifying`, the code requested and not verified (the SMS was lost);
 * - `regulatory_verdict_overdue`: `pending_regulatory` (the verdict's event or its job was lost,
 *   or the approval's `order-number`, or a remediation's `resubmit-requirement-group`);
 * - `release_stalled`: `releasing` (the `release-number` job was lost or gave up);
 * - `billing_not_started`: `active`, its account has a subscription, and no billing-start
 *   `charge` ledger row of that subscription for the number (the `start-billing` job was lost);
 * - `calling_sync_stalled`: calling settings `enabling` or `disabling`, whatever the number's
 *   state (the `sync-whatsapp-calling` job was lost); quiet since the customer's last ask.
 */
export type StuckNumberKind =
  | 'checkout_without_session'
  | 'checkout_unsettled'
  | 'provisioning_stalled'
  | 'registration_not_started'
  | 'whatsapp_code_overdue'
  | 'regulatory_verdict_overdue'
  | 'release_stalled'
  | 'billing_not_started'
  | 'calling_sync_stalled';

/** When the number entered its state: its applied history row to it, else its creation. */
const ENTERED_STATE = sql`COALESCE(
  (SELECT max(h.at) FROM number_status_history h WHERE h.number_id = n.id AND h.applied AND h.to_status = n.status),
  n.created_at)`;

interface KindRule {
  /** Which numbers are of this kind. */
  stuck: Expression<SqlBool>;
  /** Since when the number waits in it (before `swept_at` and the last code request count). */
  waitingSince: Expression<unknown>;
}

function inState(status: NumberStatus, waitingFor: Expression<SqlBool> = sql<SqlBool>`TRUE`): KindRule {
  return { stuck: sql<SqlBool>`n.status = ${status} AND ${waitingFor}`, waitingSince: ENTERED_STATE };
}

const KINDS: Record<StuckNumberKind, KindRule> = {
  checkout_without_session: inState('pending_payment', sql<SqlBool>`n.stripe_checkout_session_id IS NULL`),
  checkout_unsettled: inState('pending_payment', sql<SqlBool>`n.stripe_checkout_session_id IS NOT NULL`),
  provisioning_stalled: inState('provisioning'),
  registration_not_started: inState('verifying', sql<SqlBool>`n.meta_verification_status IS NULL`),
  whatsapp_code_overdue: inState('verifying', sql<SqlBool>`n.meta_verification_status IS NOT NULL`),
  regulatory_verdict_overdue: inState('pending_regulatory'),
  release_stalled: inState('releasing'),
  billing_not_started: inState(
    'active',
    sql<SqlBool>`EXISTS (
      SELECT 1 FROM billing_accounts b
      WHERE b.account_id = n.account_id AND b.stripe_subscription_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM ledger_entries c
                        WHERE c.subscription_id = b.stripe_subscription_id AND c.number_id = n.id AND c.kind = ${BILLING_STARTED}))`,
  ),
  calling_sync_stalled: {
    stuck: sql<SqlBool>`n.calling_status IN ('enabling', 'disabling')`,
    waitingSince: sql`COALESCE(n.calling_requested_at, n.created_at)`,
  },
};

/**
 * Finds stuck numbers for the sweeps. A number is quiet since the latest of: when it began to
 * wait (entering its state, for most kinds), when a sweep last acted on it (`swept_at`), when its
 * WhatsApp code was last requested.
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
    const { stuck, waitingSince } = KINDS[kind];
    const number = await this.db
      .updateTable('phoneNumbers')
      .set({ sweptAt: at, updatedAt: at })
      .where('id', '=', (eb) =>
        eb
          .selectFrom('phoneNumbers as n')
          .select('n.id')
          .where(stuck)
          .where(sql<SqlBool>`GREATEST(${waitingSince}, n.swept_at, n.whatsapp_code_requested_at) < ${quietBefore}`)
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
