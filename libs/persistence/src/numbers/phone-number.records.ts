import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database, type Tx } from '../database/database';
import type { PhoneNumber } from '../database/rows';

/** Fields written outside a state change (a state change goes through NumberLifecycle). */
export type NumberFields = Partial<Omit<PhoneNumber, 'id' | 'accountId' | 'status' | 'version' | 'createdAt'>>;

/** A number's WhatsApp code request fields, as read. */
export type CodeRequestState = Pick<PhoneNumber, 'id' | 'metaVerificationStatus' | 'whatsappCodeRequestedAt' | 'whatsappCodeRequests'>;

/**
 * The owner of one `phone_numbers` row outside state changes (NumberLifecycle) and its insert
 * (number-creation): the whole rows the workers act on, with what a job needs joined in, and the
 * fields that are no state change. These reads run several times for every number on its way to
 * active: one statement each, no more. An account's numbers in bulk: AccountNumberRecords; the
 * calling settings: CallingSettingsRepository; the public API's reads: PhoneNumberReadRepository.
 */
@Injectable()
export class PhoneNumberRecords {
  constructor(private readonly db: Database) {}

  async byId(id: string, tx?: Tx): Promise<PhoneNumber | null> {
    return (await (tx ?? this.db).selectFrom('phoneNumbers').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
  }

  /** The number a carrier order is for, by the order id we stored. */
  async byTelnyxOrderId(orderId: string, tx?: Tx): Promise<PhoneNumber | null> {
    return (await (tx ?? this.db).selectFrom('phoneNumbers').selectAll().where('telnyxOrderId', '=', orderId).limit(1).executeTakeFirst()) ?? null;
  }

  /** The numbers, not released, that hold one of these E.164 numbers: newest first. */
  async liveByPhoneNumber(phoneNumbers: string[], tx?: Tx): Promise<PhoneNumber[]> {
    if (phoneNumbers.length === 0) return [];
    return (tx ?? this.db)
      .selectFrom('phoneNumbers')
      .selectAll()
      .where(sql<boolean>`phone_number = ANY(${phoneNumbers}::text[])`)
      .where('status', '<>', 'released')
      .orderBy('createdAt', 'desc')
      .execute();
  }

  /** The newest number a requirement group was created for. */
  async byRequirementGroup(requirementGroupId: string, tx?: Tx): Promise<PhoneNumber | null> {
    const number = await (tx ?? this.db)
      .selectFrom('phoneNumbers')
      .selectAll()
      .where('requirementGroupId', '=', requirementGroupId)
      .orderBy('createdAt', 'desc')
      .limit(1)
      .executeTakeFirst();
    return number ?? null;
  }

  /** The live number WhatsApp knows by this phone number id (the one consumers write to). */
  async liveByMetaPhoneNumberId(metaPhoneNumberId: string, tx?: Tx): Promise<{ id: string; accountId: string } | null> {
    const row = await (tx ?? this.db)
      .selectFrom('phoneNumbers')
      .select(['id', 'accountId'])
      .where('metaPhoneNumberId', '=', metaPhoneNumberId)
      .where('status', '!=', 'released')
      .limit(1)
      .executeTakeFirst();
    return row ?? null;
  }

  /**
   * Our other numbers, not released, that hold the same WhatsApp registration (Meta phone number
   * id, or E.164 number) or the same carrier number (carrier number id, or E.164 number) as this
   * one: what releasing it must leave in place. Null ids and numbers match nothing.
   */
  async othersHoldingProviderIds(
    number: Pick<PhoneNumber, 'id' | 'phoneNumber' | 'metaPhoneNumberId' | 'telnyxNumberId'>,
    tx?: Tx,
  ): Promise<{ meta: string | null; carrier: string | null }> {
    const { phoneNumber, metaPhoneNumberId, telnyxNumberId } = number;
    const rows = await (tx ?? this.db)
      .selectFrom('phoneNumbers')
      .select(['id', 'phoneNumber', 'metaPhoneNumberId', 'telnyxNumberId'])
      .where('id', '<>', number.id)
      .where('status', '<>', 'released')
      .where((eb) =>
        eb.or([
          eb('phoneNumber', '=', phoneNumber ?? sql<string>`NULL`),
          eb('metaPhoneNumberId', '=', metaPhoneNumberId ?? sql<string>`NULL`),
          eb('telnyxNumberId', '=', telnyxNumberId ?? sql<string>`NULL`),
        ]),
      )
      .orderBy('createdAt')
      .execute();
    const samePhone = (row: (typeof rows)[number]): boolean => phoneNumber !== null && row.phoneNumber === phoneNumber;
    return {
      meta: rows.find((row) => samePhone(row) || (metaPhoneNumberId !== null && row.metaPhoneNumberId === metaPhoneNumberId))?.id ?? null,
      carrier: rows.find((row) => samePhone(row) || (telnyxNumberId !== null && row.telnyxNumberId === telnyxNumberId))?.id ?? null,
    };
  }

  /** The number to order, and whether its country needs identity review first. */
  async forOrder(numberId: string, tx?: Tx): Promise<(PhoneNumber & { needsReview: boolean }) | null> {
    const number = await (tx ?? this.db)
      .selectFrom('phoneNumbers as n')
      .leftJoin('countries as c', 'c.code', 'n.country')
      .selectAll('n')
      .select(sql<boolean>`coalesce(c.needs_kyc, false)`.as('needsReview'))
      .where('n.id', '=', numberId)
      .executeTakeFirst();
    return number ?? null;
  }

  /** The number to register on WhatsApp, and its account's name (the WhatsApp business name). */
  async forRegistration(numberId: string, tx?: Tx): Promise<(PhoneNumber & { businessName: string }) | null> {
    const number = await (tx ?? this.db)
      .selectFrom('phoneNumbers as n')
      .innerJoin('accounts as a', 'a.id', 'n.accountId')
      .selectAll('n')
      .select('a.name as businessName')
      .where('n.id', '=', numberId)
      .executeTakeFirst();
    return number ?? null;
  }

  /**
   * Stores `phoneNumber` as the number to order unless one is stored already; answers the one
   * stored, so two runs that picked differently order the same.
   */
  async keepPhoneNumber(numberId: string, phoneNumber: string, tx?: Tx): Promise<string> {
    const { stored } = await (tx ?? this.db)
      .updateTable('phoneNumbers')
      .set({ phoneNumber: sql`coalesce(phone_number, ${phoneNumber})`, updatedAt: sql`now()` })
      .where('id', '=', numberId)
      .returning('phoneNumber as stored')
      .executeTakeFirstOrThrow();
    return stored ?? phoneNumber;
  }

  /** Stores the carrier's requirement group the number is ordered with; keeps one stored before. */
  async recordRequirementGroup(numberId: string, requirementGroupId: string, tx?: Tx): Promise<void> {
    await (tx ?? this.db)
      .updateTable('phoneNumbers')
      .set({ requirementGroupId, updatedAt: sql`now()` })
      .where('id', '=', numberId)
      .where('requirementGroupId', 'is', null)
      .execute();
  }

  /**
   * Records the Checkout Session a number is paid through. Not a state change (no version
   * bump): the column is written once, by the purchase, and read by the billing worker. True
   * also when the same session is recorded already (two retries of one purchase get one session
   * from Stripe under one idempotency key). False when the number is no longer waiting for it (a
   * sweep undid the purchase meanwhile).
   */
  async recordCheckoutSession(numberId: string, sessionId: string, tx?: Tx): Promise<boolean> {
    const { numUpdatedRows } = await (tx ?? this.db)
      .updateTable('phoneNumbers')
      .set({ stripeCheckoutSessionId: sessionId, updatedAt: sql`now()` })
      .where('id', '=', numberId)
      .where('status', '=', 'pending_payment')
      .where((eb) => eb.or([eb('stripeCheckoutSessionId', 'is', null), eb('stripeCheckoutSessionId', '=', sessionId)]))
      .executeTakeFirst();
    return numUpdatedRows === 1n;
  }

  /**
   * Records, just before a carrier order is sent, that one is being placed
   * (`carrier_order_started_at`), only if the number is still in `status`: false when it has moved
   * on (released meanwhile), and no order may be placed. Storing the order's id clears it. Until
   * then the carrier may hold an order we do not know of: a release waits for it.
   */
  async claimCarrierOrder(numberId: string, status: 'provisioning' | 'pending_regulatory', tx?: Tx): Promise<boolean> {
    const { numUpdatedRows } = await (tx ?? this.db)
      .updateTable('phoneNumbers')
      .set({ carrierOrderStartedAt: sql`now()`, updatedAt: sql`now()` })
      .where('id', '=', numberId)
      .where('status', '=', status)
      .executeTakeFirst();
    return numUpdatedRows === 1n;
  }

  /**
   * Records, before Meta is asked, that the WhatsApp activation code is being requested (its
   * status, when, one more request): the SMS can come back before Meta's answer does, and its code
   * is taken only for a number waiting for one. Only if the number is still verifying with the
   * request count read with it, so of two runs that read it alike one asks Meta; false for the other.
   */
  async claimCodeRequest(number: CodeRequestState, metaVerificationStatus: string, tx?: Tx): Promise<boolean> {
    const { numUpdatedRows } = await (tx ?? this.db)
      .updateTable('phoneNumbers')
      .set((eb) => ({
        metaVerificationStatus,
        whatsappCodeRequestedAt: sql`now()`,
        whatsappCodeRequests: eb('whatsappCodeRequests', '+', 1),
        updatedAt: sql`now()`,
      }))
      .where('id', '=', number.id)
      .where('status', '=', 'verifying')
      .where('whatsappCodeRequests', '=', number.whatsappCodeRequests)
      .executeTakeFirst();
    return numUpdatedRows === 1n;
  }

  /**
   * Takes back a claim (`claimCodeRequest`) whose request Meta failed: the code fields as read
   * before it, unless the number has moved on since (a code verified, another claim).
   */
  async withdrawCodeRequest(number: CodeRequestState, claimedStatus: string, tx?: Tx): Promise<void> {
    await (tx ?? this.db)
      .updateTable('phoneNumbers')
      .set({
        metaVerificationStatus: number.metaVerificationStatus,
        whatsappCodeRequestedAt: number.whatsappCodeRequestedAt,
        whatsappCodeRequests: number.whatsappCodeRequests,
        updatedAt: sql`now()`,
      })
      .where('id', '=', number.id)
      .where('metaVerificationStatus', '=', claimedStatus)
      .where('whatsappCodeRequests', '=', number.whatsappCodeRequests + 1)
      .execute();
  }

  /** Writes fields that are no state change (ids a provider gave, a request made), without a version bump. */
  async update(id: string, fields: NumberFields, tx?: Tx): Promise<void> {
    await (tx ?? this.db)
      .updateTable('phoneNumbers')
      .set({ ...fields, updatedAt: sql`now()` })
      .where('id', '=', id)
      .execute();
  }
}
