import { decideTransition, followUpsOf, newId } from '@numbers/domain';
import type { EventRequest, JobRequest, NumberStatus } from '@numbers/contracts';
import { sql } from 'kysely';
import type { Tx } from '../database/database';
import { cte } from '../database/cte';
import type { Actor, NumberType } from '../database/rows';
import { outboxInsert } from '../outbox/outbox.repository';
import { historyInsert, type HistoryRow } from './status-history';

/** The history event of a number's birth: from no state to `pending_payment`. */
export const PURCHASE_ACCEPTED_EVENT = 'purchase_accepted';

/** The event that takes a number paid for on the account's subscription out of `pending_payment`. */
const PAYMENT_CONFIRMED_EVENT = 'payment_confirmed';

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

export interface PurchasedNumber {
  id: string;
}

/**
 * The one place a number is born, as `NumberLifecycle.apply` is the one place it changes state:
 * in the caller's transaction, the number in `pending_payment` (paid first: it takes a
 * subscription slot once paid, see docs/billing.md), its first history row and its purchase
 * intent. Nothing follows creation by itself, so no outbox row: the billing worker applies
 * `payment_confirmed` on Checkout (first number). One statement (two or three as model queries).
 */
export async function createPurchasedNumber(tx: Tx, input: PurchasedNumberInput): Promise<PurchasedNumber> {
  const now = input.now ?? new Date();
  const id = input.id ?? newId(now);
  await insertNumber(
    tx,
    input,
    { id, now, status: 'pending_payment', version: 0, updatedAt: now },
    [{ from: null, to: 'pending_payment', event: PURCHASE_ACCEPTED_EVENT, applied: true, at: now }],
    { jobs: [], events: [] },
  );
  return { id };
}

/**
 * A number paid for at once (a later number, on the account's subscription): what
 * `createPurchasedNumber` then `NumberLifecycle.apply(id, 'payment_confirmed')` would leave, in
 * one statement instead of four or five. The number is written in the state the lifecycle
 * table gives `payment_confirmed` from `pending_payment`, with the version and `updated_at` of
 * that one transition, both history rows (birth, then the transition), and the transition's
 * follow-ups (`followUpsOf`: order it, the slot's quantity, the status event) in the outbox.
 */
export async function createPaidNumber(tx: Tx, input: PurchasedNumberInput): Promise<PurchasedNumber> {
  const now = input.now ?? new Date();
  const id = input.id ?? newId(now);
  const decision = decideTransition('pending_payment', PAYMENT_CONFIRMED_EVENT);
  if (!decision.ok) throw new Error(`the lifecycle table no longer takes ${PAYMENT_CONFIRMED_EVENT} from pending_payment (${decision.reason})`);
  // The transition's own instant, as the lifecycle stamps it (the birth keeps the request's).
  const confirmedAt = new Date();
  const followUps = followUpsOf({
    numberId: id,
    accountId: input.accountId,
    paidFirst: true,
    from: decision.from,
    to: decision.to,
    event: PAYMENT_CONFIRMED_EVENT,
    at: confirmedAt,
  });
  await insertNumber(
    tx,
    input,
    { id, now, status: decision.to, version: 1, updatedAt: confirmedAt },
    [
      { from: null, to: 'pending_payment', event: PURCHASE_ACCEPTED_EVENT, applied: true, at: now },
      { from: decision.from, to: decision.to, event: PAYMENT_CONFIRMED_EVENT, applied: true, at: confirmedAt },
    ],
    followUps,
  );
  return { id };
}

/** The number, its history rows in order, its purchase intent and its outbox rows: one statement. */
async function insertNumber(
  tx: Tx,
  input: PurchasedNumberInput,
  number: { id: string; now: Date; status: NumberStatus; version: number; updatedAt: Date },
  history: HistoryRow[],
  followUps: { jobs: JobRequest[]; events: EventRequest[] },
): Promise<void> {
  const { id, now } = number;
  const intentId = input.purchaseIntentId ?? null;
  await tx
    .with('created', (db) =>
      db
        .insertInto('phoneNumbers')
        .values({
          id,
          accountId: input.accountId,
          profileId: input.profileId,
          phoneNumber: input.wantedPhoneNumber ?? null,
          country: input.country,
          numberType: input.numberType,
          status: number.status,
          monthlyCents: input.monthlyCents,
          paidFirst: true,
          version: number.version,
          createdAt: now,
          updatedAt: number.updatedAt,
        })
        .returning('id'),
    )
    // The purchase intent, when the caller gave one (the condition keeps one statement text).
    .with('intent', () =>
      sql<Record<string, unknown>>`(INSERT INTO purchase_intents (account_id, intent_id, number_id, created_at)
        SELECT ${input.accountId}, ${intentId}::text, created.id, ${now}::timestamptz FROM created WHERE ${intentId}::text IS NOT NULL)`,
    )
    .with('outbox', () => cte(outboxInsert(followUps.jobs, followUps.events)))
    .with('history', () => cte(historyInsert('created', history, input.cause, input.actor ?? 'customer')))
    .selectNoFrom(sql`1`.as('done'))
    .execute();
}
