import { Injectable } from '@nestjs/common';
import { sql, type RawBuilder } from 'kysely';
import type { NumberStatus } from '@numbers/contracts';
import { Database, type Tx } from '../database/database';
import type { NumberType } from '../database/schema.generated';

/** A hosted number as the public API shows it, with its profile's name. */
export interface PhoneNumberRow {
  id: string;
  accountId: string;
  phoneNumber: string | null;
  country: string;
  status: NumberStatus;
  registrantName: string | null;
  telnyxOrderId: string | null;
  monthlyCents: number;
  profileId: string;
  profileName: string | null;
  provisionedAt: Date | null;
  metaPreverifiedId: string | null;
  metaVerificationStatus: string | null;
  onfidoVerificationUrl: string | null;
  endUserFirstName: string | null;
  endUserLastName: string | null;
  regulatoryDeclineReason: string | null;
  regulatoryDeclinedAt: Date | null;
  callingEnabled: boolean;
  releasedAt: Date | null;
  createdAt: Date;
}

export interface PhoneNumberListFilter {
  accountId: string;
  /** The states the view selects (from `listViewFor`). */
  statuses: NumberStatus[];
  /** Also `regulatory_declined` numbers declined at or after this instant. */
  declinedSince?: Date;
  profileId?: string;
}

/** A number of the account held locked (`FOR UPDATE`) by the transaction it was read in. */
export interface LockedNumber {
  id: string;
  status: NumberStatus;
  country: string;
  numberType: NumberType;
  endUserFirstName: string | null;
  endUserLastName: string | null;
}

/**
 * One column list for every read, so list items and single numbers cannot drift apart. Aliased
 * to the row's field names and run without Kysely's plugins: a list of hundreds of rows is
 * handed on as pg returns it, with no per-row renaming of keys.
 */
const COLUMNS = sql`
  n.id, n.account_id AS "accountId", n.phone_number AS "phoneNumber", n.country, n.status::text AS status,
  n.registrant_name AS "registrantName", n.telnyx_order_id AS "telnyxOrderId", n.monthly_cents AS "monthlyCents",
  n.profile_id AS "profileId", p.name AS "profileName", n.provisioned_at AS "provisionedAt",
  n.meta_preverified_id AS "metaPreverifiedId", n.meta_verification_status AS "metaVerificationStatus",
  n.onfido_verification_url AS "onfidoVerificationUrl", n.end_user_first_name AS "endUserFirstName",
  n.end_user_last_name AS "endUserLastName", n.regulatory_decline_reason AS "regulatoryDeclineReason",
  n.regulatory_declined_at AS "regulatoryDeclinedAt", n.calling_enabled AS "callingEnabled",
  n.released_at AS "releasedAt", n.created_at AS "createdAt"`;

/**
 * The WHERE clause of a list view. A single state is an equality, so the scan of
 * (account_id, status, created_at DESC, id DESC) already returns rows in order (no sort); several
 * states are one `= ANY` over the same index. The declined-in-the-last-30-days rule is a filter
 * on the regulatory_declined range of that index.
 */
function listConditions(filter: PhoneNumberListFilter): RawBuilder<unknown> {
  const statuses = filter.declinedSince
    ? [...new Set<NumberStatus>([...filter.statuses, 'regulatory_declined'])]
    : filter.statuses;
  const parts = [
    sql`n.account_id = ${filter.accountId}`,
    statuses.length === 1 ? sql`n.status = ${statuses[0]}::"NumberStatus"` : sql`n.status = ANY(${statuses}::"NumberStatus"[])`,
  ];
  if (filter.declinedSince && !filter.statuses.includes('regulatory_declined')) {
    parts.push(sql`(n.status <> 'regulatory_declined' OR n.regulatory_declined_at >= ${filter.declinedSince})`);
  }
  if (filter.profileId) parts.push(sql`n.profile_id = ${filter.profileId}`);
  return sql.join(parts, sql` AND `);
}

/**
 * Reads of hosted numbers for the public API, scoped to one account. The LEFT JOIN to the
 * account's profiles keeps phone_numbers the driving side, so the planner reads it through the
 * list index rather than starting from profiles.
 */
@Injectable()
export class PhoneNumberReadRepository {
  constructor(private readonly db: Database) {}

  /** The numbers of one list view, newest first (id breaks ties). */
  async list(filter: PhoneNumberListFilter, tx?: Tx): Promise<PhoneNumberRow[]> {
    if (filter.statuses.length === 0 && !filter.declinedSince) return [];
    const { rows } = await phoneNumberListQuery(filter).execute((tx ?? this.db).withoutPlugins());
    return rows;
  }

  /** One number of the account, or null (unknown, or another account's). */
  async findForAccount(accountId: string, id: string, tx?: Tx): Promise<PhoneNumberRow | null> {
    const { rows } = await sql<PhoneNumberRow>`
      SELECT ${COLUMNS}
      FROM phone_numbers n
      LEFT JOIN profiles p ON p.id = n.profile_id AND p.account_id = ${accountId}
      WHERE n.id = ${id} AND n.account_id = ${accountId}`.execute((tx ?? this.db).withoutPlugins());
    return rows[0] ?? null;
  }

  /**
   * `work` in one transaction that first locks the account's number, so one change of it
   * through the API runs at a time; `work` gets null when the number is not the account's.
   */
  withNumberLocked<T>(accountId: string, id: string, work: (number: LockedNumber | null, tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (tx) => {
      const number = await tx
        .selectFrom('phoneNumbers')
        .select(['id', 'status', 'country', 'numberType', 'endUserFirstName', 'endUserLastName'])
        .where('id', '=', id)
        .where('accountId', '=', accountId)
        .forUpdate()
        .executeTakeFirst();
      return work(number ?? null, tx);
    });
  }
}

/** The statement a list view runs: the list itself, EXPLAIN in tests, the benchmark's bare server. */
export function phoneNumberListQuery(filter: PhoneNumberListFilter): RawBuilder<PhoneNumberRow> {
  return sql<PhoneNumberRow>`
    SELECT ${COLUMNS}
    FROM phone_numbers n
    LEFT JOIN profiles p ON p.id = n.profile_id AND p.account_id = ${filter.accountId}
    WHERE ${listConditions(filter)}
    ORDER BY n.created_at DESC, n.id DESC`;
}
