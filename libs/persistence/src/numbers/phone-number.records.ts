import { Injectable } from '@nestjs/common';
import { Prisma, type PhoneNumber } from '@prisma/client';
import { PrismaService, type SqlTx } from '../prisma/prisma.service';
import { assignmentsOf, modelColumns } from '../prisma/model-columns';

/** Fields written outside a state change (a state change goes through NumberLifecycle). */
export type NumberFields = Partial<Omit<PhoneNumber, 'id' | 'accountId' | 'status' | 'version' | 'createdAt'>>;

/** Every field of a number, as Prisma's model API returns it. */
export const PHONE_NUMBER_COLUMNS = modelColumns('PhoneNumber', 'n');

/**
 * The whole rows of numbers the workers act on, read in plain SQL: these reads run several
 * times for every number on its way to active, and a Prisma model query costs 1-2 ms of CPU
 * here where the same statement costs 0.1-0.5 ms (measured; see docs/database.md).
 */
@Injectable()
export class PhoneNumberRecords {
  constructor(private readonly prisma: PrismaService) {}

  async byId(id: string, tx?: SqlTx): Promise<PhoneNumber | null> {
    const [number] = await this.prisma.queryRows<PhoneNumber>(Prisma.sql`SELECT ${PHONE_NUMBER_COLUMNS} FROM phone_numbers n WHERE n.id = ${id}`, tx);
    return number ?? null;
  }

  /** The number a carrier order is for, by the order id we stored. */
  async byTelnyxOrderId(orderId: string, tx?: SqlTx): Promise<PhoneNumber | null> {
    const [number] = await this.prisma.queryRows<PhoneNumber>(
      Prisma.sql`SELECT ${PHONE_NUMBER_COLUMNS} FROM phone_numbers n WHERE n.telnyx_order_id = ${orderId} LIMIT 1`,
      tx,
    );
    return number ?? null;
  }

  /** The numbers, not released, that hold one of these E.164 numbers: newest first. */
  async liveByPhoneNumber(phoneNumbers: string[], tx?: SqlTx): Promise<PhoneNumber[]> {
    if (phoneNumbers.length === 0) return [];
    return this.prisma.queryRows<PhoneNumber>(
      Prisma.sql`SELECT ${PHONE_NUMBER_COLUMNS} FROM phone_numbers n
        WHERE n.phone_number = ANY(${phoneNumbers}::text[]) AND n.status <> 'released'
        ORDER BY n.created_at DESC`,
      tx,
    );
  }

  /** Writes fields that are no state change (ids a provider gave, a request made), without a version bump. */
  async update(id: string, fields: NumberFields, tx?: SqlTx): Promise<void> {
    const assignments = assignmentsOf('PhoneNumber', fields);
    await this.prisma.queryRows(
      Prisma.sql`UPDATE phone_numbers SET ${Prisma.join([...assignments, Prisma.sql`updated_at = now()`])} WHERE id = ${id} RETURNING id`,
      tx,
    );
  }
}
