import { Injectable } from '@nestjs/common';
import { jobRequest } from '@numbers/contracts';
import { requestedCallingStatus, isCallingStatus, type CallingStatus } from '@numbers/domain';
import { sql, type Updateable } from 'kysely';
import { Database, type Tx } from '../database/database';
import type { PhoneNumber } from '../database/rows';
import type { PhoneNumber as PhoneNumberTable } from '../database/schema.generated';
import { OutboxRepository } from '../outbox/outbox.repository';

/** A hosted number with what calling needs to know of its country. */
export type CallingNumber = PhoneNumber & { outboundCallingAvailable: boolean };

/** The calling fields a customer sets (enable, update); undefined leaves a field as it is. */
export interface CallingSettingsPatch {
  callingForwardTo?: string | null;
  callingRecordingEnabled?: boolean;
  callingIconCountries?: string[] | null;
  callingMaxDurationSeconds?: number | null;
  callingForwardCallerId?: string | null;
  forwardSipUsername?: string | null;
  forwardSipPasswordSealed?: string | null;
}

/** Where the calling worker left a number (Meta's digest credentials sealed, or cleared). */
export interface CallingSettlement {
  callingStatus: CallingStatus;
  callingDetail: string | null;
  sipUsername?: string | null;
  sipPasswordSealed?: string | null;
}

export function callingStatusOf(number: Pick<PhoneNumber, 'callingStatus'>): CallingStatus {
  return isCallingStatus(number.callingStatus) ? number.callingStatus : 'disabled';
}

const now = sql<Date>`now()`;

/** The patch as columns: the countries are a JSON array (pg would send a JS array as a Postgres array). */
function columnsOf({ callingIconCountries, ...rest }: CallingSettingsPatch): Updateable<PhoneNumberTable> {
  return {
    ...rest,
    ...(callingIconCountries !== undefined ? { callingIconCountries: callingIconCountries === null ? null : JSON.stringify(callingIconCountries) } : {}),
  };
}

/**
 * WhatsApp calling settings on `phone_numbers`, their one writer (the number's row itself:
 * PhoneNumberRecords). The customer's wish (`calling_enabled`) and the job that carries it out
 * (`sync-whatsapp-calling`, through the outbox) are written together; each wish bumps
 * `calling_generation`, and the worker settles a number only for the generation it read, so a
 * slow job never overwrites a newer wish.
 */
@Injectable()
export class CallingSettingsRepository {
  constructor(
    private readonly db: Database,
    private readonly outbox: OutboxRepository,
  ) {}

  /** The account's number with its country's outbound rule; null when the account has no such number. */
  async findForAccount(accountId: string, numberId: string, tx?: Tx): Promise<CallingNumber | null> {
    const row = await (tx ?? this.db)
      .selectFrom('phoneNumbers as n')
      .leftJoin('countries as c', 'c.code', 'n.country')
      .selectAll('n')
      .select((eb) => eb.fn.coalesce('c.outboundCallingAvailable', eb.lit(false)).as('outboundCallingAvailable'))
      .where('n.id', '=', numberId)
      .where('n.accountId', '=', accountId)
      .executeTakeFirst();
    return row ?? null;
  }

  /**
   * The customer turns calling on or off (with settings): one transaction writes the wish, the
   * status it shows meanwhile, a new generation (when the wish changed) and the job. Turning it on
   * again while enabled only changes settings, and asks nothing of the providers.
   */
  async request(numberId: string, wanted: boolean, patch: CallingSettingsPatch, tx?: Tx): Promise<PhoneNumber> {
    return this.db.inTransaction(tx, async (tx) => {
      const current = await tx.selectFrom('phoneNumbers').select('callingStatus').where('id', '=', numberId).forUpdate().executeTakeFirst();
      if (!current) throw new Error(`number ${numberId} vanished`);
      const from = callingStatusOf(current);
      const to = requestedCallingStatus(wanted, from);
      const number = await tx
        .updateTable('phoneNumbers')
        .set((eb) => ({
          ...columnsOf(patch),
          callingEnabled: wanted,
          callingStatus: to,
          ...(to !== from ? { callingDetail: null, callingGeneration: eb('callingGeneration', '+', 1) } : {}),
          ...(to === 'enabling' || to === 'disabling' ? { callingRequestedAt: now } : {}),
          updatedAt: now,
        }))
        .where('id', '=', numberId)
        .returningAll()
        .executeTakeFirstOrThrow();
      // Asked again while still on the way: another job is harmless (it converges) and revives a lost one.
      if (to === 'enabling' || to === 'disabling') await this.outbox.add(tx, [jobRequest('sync-whatsapp-calling', { numberId })]);
      return number;
    });
  }

  /** Settings only (PATCH): nothing for the providers. */
  async update(numberId: string, patch: CallingSettingsPatch, tx?: Tx): Promise<PhoneNumber> {
    return (tx ?? this.db)
      .updateTable('phoneNumbers')
      .set({ ...columnsOf(patch), updatedAt: now })
      .where('id', '=', numberId)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Records where the providers are now, if the wish is still the one the worker acted on. */
  async settle(numberId: string, generation: number, settlement: CallingSettlement, tx?: Tx): Promise<boolean> {
    const { numUpdatedRows } = await (tx ?? this.db)
      .updateTable('phoneNumbers')
      .set({ ...settlement, updatedAt: now })
      .where('id', '=', numberId)
      .where('callingGeneration', '=', generation)
      .executeTakeFirst();
    return numUpdatedRows === 1n;
  }
}
