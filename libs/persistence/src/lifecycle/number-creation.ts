import { newId } from '@numbers/domain';
import type { Actor, NumberType, PhoneNumber } from '@prisma/client';
import type { Tx } from '../prisma/prisma.service';

/** The history event of a number's birth: from no state to `pending_payment`. */
export const PURCHASE_ACCEPTED_EVENT = 'purchase_accepted';

export interface PurchasedNumberInput {
  /** A new id when absent. */
  id?: string;
  accountId: string;
  profileId: string;
  country: string;
  numberType: NumberType;
  monthlyCents: number;
  /**
   * The exact E.164 number the customer chose from inventory search, or null to let the
   * provisioning worker pick one. While the number is `pending_payment` or `provisioning` a
   * value here is the number to order (not yet ours); from the carrier order on it is ours.
   */
  wantedPhoneNumber?: string | null;
  /** The caller's idempotency key (SPEC "Purchase"); recorded with the number when given. */
  purchaseIntentId?: string | null;
  /** Why: the request id. */
  cause: string;
  actor?: Actor;
  now?: Date;
}

/**
 * The one place a number is born, as `NumberLifecycle.apply` is the one place it changes state:
 * in the caller's transaction, the number in `pending_payment` (paid first: it takes a
 * subscription slot once paid, see docs/billing.md), its first history row and its purchase
 * intent. Nothing follows creation by itself, so no outbox row: the caller applies
 * `payment_confirmed` (later numbers) or the billing worker does on Checkout (first number).
 */
export async function createPurchasedNumber(tx: Tx, input: PurchasedNumberInput): Promise<PhoneNumber> {
  const now = input.now ?? new Date();
  const id = input.id ?? newId(now);
  const number = await tx.phoneNumber.create({
    data: {
      id,
      accountId: input.accountId,
      profileId: input.profileId,
      phoneNumber: input.wantedPhoneNumber ?? null,
      country: input.country,
      numberType: input.numberType,
      status: 'pending_payment',
      monthlyCents: input.monthlyCents,
      paidFirst: true,
      createdAt: now,
      updatedAt: now,
    },
  });
  await tx.numberStatusHistory.create({
    data: {
      numberId: id,
      fromStatus: null,
      toStatus: 'pending_payment',
      event: PURCHASE_ACCEPTED_EVENT,
      applied: true,
      cause: input.cause,
      actor: input.actor ?? 'customer',
      at: now,
    },
  });
  if (input.purchaseIntentId) {
    await tx.purchaseIntent.create({
      data: { accountId: input.accountId, intentId: input.purchaseIntentId, numberId: id, createdAt: now },
    });
  }
  return number;
}
