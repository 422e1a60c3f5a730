import { Injectable } from '@nestjs/common';
import type { NumberStatus } from '@numbers/contracts';
import { Prisma, type PhoneNumber } from '@prisma/client';
import { PrismaService, type PrismaTx } from '../prisma/prisma.service';

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

const KINDS: Record<StuckNumberKind, { status: NumberStatus; waitingFor: Prisma.Sql }> = {
  checkout_without_session: { status: 'pending_payment', waitingFor: Prisma.sql`n.stripe_checkout_session_id IS NULL` },
  checkout_unsettled: { status: 'pending_payment', waitingFor: Prisma.sql`n.stripe_checkout_session_id IS NOT NULL` },
  provisioning_stalled: { status: 'provisioning', waitingFor: Prisma.sql`TRUE` },
  registration_not_started: { status: 'verifying', waitingFor: Prisma.sql`n.meta_verification_status IS NULL` },
  whatsapp_code_overdue: { status: 'verifying', waitingFor: Prisma.sql`n.meta_verification_status IS NOT NULL` },
};

/**
 * Finds stuck numbers for the sweeps. A number is quiet since the latest of: when it entered its
 * state (its applied history row, else its creation), when a sweep last acted on it
 * (`swept_at`), when its WhatsApp code was last requested.
 */
@Injectable()
export class StuckNumbersRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * The oldest number of this kind quiet since before `quietBefore`, locked until `tx` ends
   * (`FOR UPDATE SKIP LOCKED`: a number another run holds is passed over, and one it has moved on
   * no longer qualifies), or null when there is none. `skip`: numbers this run is done with.
   */
  async claimNext(tx: PrismaTx, kind: StuckNumberKind, quietBefore: Date, skip: readonly string[] = []): Promise<PhoneNumber | null> {
    const { status, waitingFor } = KINDS[kind];
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT n.id FROM phone_numbers n
      WHERE n.status = ${status}::"NumberStatus"
        AND ${waitingFor}
        AND NOT (n.id = ANY(${[...skip]}::text[]))
        AND GREATEST(
              COALESCE(
                (SELECT max(h.at) FROM number_status_history h
                  WHERE h.number_id = n.id AND h.applied AND h.to_status = n.status),
                n.created_at),
              n.swept_at,
              n.whatsapp_code_requested_at) < ${quietBefore.toISOString()}::timestamptz
      ORDER BY n.created_at, n.id
      LIMIT 1
      FOR UPDATE OF n SKIP LOCKED`;
    const id = rows[0]?.id;
    return id ? tx.phoneNumber.findUnique({ where: { id } }) : null;
  }

  /** Stamps `swept_at`: the sweeps leave the number alone for their threshold from now. */
  async markSwept(numberId: string, at: Date, tx?: PrismaTx): Promise<void> {
    await (tx ?? this.prisma).phoneNumber.updateMany({ where: { id: numberId }, data: { sweptAt: at } });
  }
}
