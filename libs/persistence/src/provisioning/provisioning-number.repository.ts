import { Injectable } from '@nestjs/common';
import { jobRequest } from '@numbers/contracts';
import { sql } from 'kysely';
import { Database, type Executor, type Tx } from '../database/database';
import type { PhoneNumber } from '../database/rows';
import { OutboxRepository } from '../outbox/outbox.repository';

/**
 * The reads and field writes of a number on its way to `active` at the carrier and WhatsApp
 * (the provisioning worker's jobs). Each job reads its number once, with what else it needs in
 * the same statement; state changes go through NumberLifecycle.
 */
@Injectable()
export class ProvisioningNumberRepository {
  constructor(
    private readonly db: Database,
    private readonly outbox: OutboxRepository,
  ) {}

  /** The number to order, and whether its country needs identity review first. */
  async forOrder(numberId: string, tx?: Executor): Promise<(PhoneNumber & { needsReview: boolean }) | null> {
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
  async forRegistration(numberId: string, tx?: Executor): Promise<(PhoneNumber & { businessName: string }) | null> {
    const number = await (tx ?? this.db)
      .selectFrom('phoneNumbers as n')
      .innerJoin('accounts as a', 'a.id', 'n.accountId')
      .selectAll('n')
      .select('a.name as businessName')
      .where('n.id', '=', numberId)
      .executeTakeFirst();
    return number ?? null;
  }

  /** The newest number a requirement group was created for. */
  async byRequirementGroup(requirementGroupId: string, tx?: Executor): Promise<PhoneNumber | null> {
    const number = await (tx ?? this.db)
      .selectFrom('phoneNumbers')
      .selectAll()
      .where('requirementGroupId', '=', requirementGroupId)
      .orderBy('createdAt', 'desc')
      .limit(1)
      .executeTakeFirst();
    return number ?? null;
  }

  /**
   * Stores `phoneNumber` as the number to order unless one is stored already; answers the one
   * stored, so two runs that picked differently order the same.
   */
  async keepPhoneNumber(numberId: string, phoneNumber: string, tx?: Executor): Promise<string> {
    const { stored } = await (tx ?? this.db)
      .updateTable('phoneNumbers')
      .set({ phoneNumber: sql`coalesce(phone_number, ${phoneNumber})`, updatedAt: new Date() })
      .where('id', '=', numberId)
      .returning('phoneNumber as stored')
      .executeTakeFirstOrThrow();
    return stored ?? phoneNumber;
  }

  /** Meta was asked for the WhatsApp activation code: its status, when, and one more request. */
  async recordCodeRequested(numberId: string, metaVerificationStatus: string, tx?: Executor): Promise<void> {
    await (tx ?? this.db)
      .updateTable('phoneNumbers')
      .set((eb) => ({
        metaVerificationStatus,
        whatsappCodeRequestedAt: sql`now()`,
        whatsappCodeRequests: eb('whatsappCodeRequests', '+', 1),
        updatedAt: sql`now()`,
      }))
      .where('id', '=', numberId)
      .execute();
  }

  /** Queues `order-number` for the number again (in `tx` when given): another pick, another order. */
  async orderAgain(numberId: string, tx?: Tx): Promise<void> {
    await this.outbox.add(tx ?? this.db, [jobRequest('order-number', { numberId })]);
  }
}
