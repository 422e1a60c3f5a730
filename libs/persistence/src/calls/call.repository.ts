import { Injectable } from '@nestjs/common';
import type { CallCursor, CallFacts, CallStatus, PermissionRecord, StoredPermissionStatus } from '@numbers/domain';
import { Prisma, type Call } from '@prisma/client';
import { PrismaService, type PrismaTx } from '../prisma/prisma.service';

export interface NewCall {
  id: string;
  accountId: string;
  numberId: string;
  fromNumber: string;
  to: string;
  forwardTo: string | null;
  recordingEnabled: boolean;
  createdAt: Date;
}

/** Who calls whom: the sending number as calling sees it, and the consumer's permission record (null: never wrote). */
export interface Caller {
  id: string;
  accountId: string;
  status: string;
  country: string;
  phoneNumber: string | null;
  callingEnabled: boolean;
  callingStatus: string;
  callingDetail: string | null;
  callingForwardTo: string | null;
  callingRecordingEnabled: boolean;
  outboundCallingAvailable: boolean;
  permission: PermissionRecord | null;
}

interface CallerRow {
  id: string;
  account_id: string;
  status: string;
  country: string;
  phone_number: string | null;
  calling_enabled: boolean;
  calling_status: string;
  calling_detail: string | null;
  calling_forward_to: string | null;
  calling_recording_enabled: boolean;
  outbound_calling_available: boolean;
  permission_status: StoredPermissionStatus | null;
  expires_at: Date | null;
  window_opened_at: Date | null;
  last_connected_call_at: Date | null;
  decided_at: Date | null;
}

/** A call about to be dialed, with what the dial needs of its number. */
export interface CallToDial {
  id: string;
  status: CallStatus;
  telnyxCallControlId: string | null;
  to: string;
  numberId: string;
  numberStatus: string;
  callingStatus: string;
  phoneNumber: string | null;
  sipUsername: string | null;
  sipPasswordSealed: string | null;
}

export interface CallListFilter {
  numberId: string;
  status?: CallStatus;
  direction?: 'outbound' | 'inbound';
  since?: Date;
  until?: Date;
  before?: CallCursor;
  limit: number;
}

interface LockedCallRow {
  id: string;
  account_id: string;
  number_id: string;
  to: string;
  status: CallStatus;
  telnyx_call_control_id: string | null;
  answered_at: Date | null;
  ended_at: Date | null;
  hangup_cause: string | null;
  duration_seconds: number | null;
}

export interface LockedCall {
  id: string;
  accountId: string;
  numberId: string;
  to: string;
  telnyxCallControlId: string | null;
  facts: CallFacts;
}

/** `calls`: the call log, and the one row each carrier event moves under a lock. */
@Injectable()
export class CallRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * The sending number of the account, its country's outbound rule and the consumer's permission,
   * in one read (the hot path of `POST /v1/whatsapp/calls`); null when the account has no such number.
   */
  async findCaller(accountId: string, numberId: string, consumer: string): Promise<Caller | null> {
    const [row] = await this.prisma.queryRows<CallerRow>(Prisma.sql`
      SELECT n.id, n.account_id, n.status::text AS status, n.country, n.phone_number, n.calling_enabled, n.calling_status,
             n.calling_detail, n.calling_forward_to, n.calling_recording_enabled,
             COALESCE(c.outbound_calling_available, false) AS outbound_calling_available,
             p.status::text AS permission_status, p.expires_at, p.window_opened_at, p.last_connected_call_at, p.decided_at
        FROM phone_numbers n
        LEFT JOIN countries c ON c.code = n.country
        LEFT JOIN call_permissions p ON p.number_id = n.id AND p.consumer = ${consumer}
       WHERE n.id = ${numberId} AND n.account_id = ${accountId}`);
    if (!row) return null;
    return {
      id: row.id,
      accountId: row.account_id,
      status: row.status,
      country: row.country,
      phoneNumber: row.phone_number,
      callingEnabled: row.calling_enabled,
      callingStatus: row.calling_status,
      callingDetail: row.calling_detail,
      callingForwardTo: row.calling_forward_to,
      callingRecordingEnabled: row.calling_recording_enabled,
      outboundCallingAvailable: row.outbound_calling_available,
      permission: row.permission_status
        ? {
            status: row.permission_status,
            expiresAt: row.expires_at,
            windowOpenedAt: row.window_opened_at,
            lastConnectedCallAt: row.last_connected_call_at,
            decidedAt: row.decided_at,
          }
        : null,
    };
  }

  /** The call (`dialing`) and its `place-call` job in one statement: both are written, or neither. */
  async createWithDialJob(call: NewCall): Promise<void> {
    await this.prisma.queryRows(Prisma.sql`
      WITH inserted AS (
        INSERT INTO calls (id, account_id, number_id, direction, status, "to", forward_to, recording_enabled, from_number, created_at)
        VALUES (${call.id}, ${call.accountId}, ${call.numberId}, 'outbound', 'dialing', ${call.to}, ${call.forwardTo}, ${call.recordingEnabled},
                ${call.fromNumber}, ${call.createdAt})
        RETURNING id)
      INSERT INTO outbox (kind, name, payload) SELECT 'job', 'place-call', jsonb_build_object('callId', id) FROM inserted RETURNING id`);
  }

  /** The call and what dialing it needs of its number, in one read. */
  async findToDial(id: string): Promise<CallToDial | null> {
    const [row] = await this.prisma.queryRows<CallToDial>(Prisma.sql`
      SELECT c.id, c.status::text AS status, c.telnyx_call_control_id AS "telnyxCallControlId", c."to", c.number_id AS "numberId",
             n.status::text AS "numberStatus", n.calling_status AS "callingStatus", n.phone_number AS "phoneNumber",
             n.sip_username AS "sipUsername", n.sip_password_sealed AS "sipPasswordSealed"
        FROM calls c JOIN phone_numbers n ON n.id = c.number_id
       WHERE c.id = ${id}`);
    return row ?? null;
  }

  find(id: string, tx?: PrismaTx): Promise<Call | null> {
    return (tx ?? this.prisma).call.findUnique({ where: { id } });
  }

  findForAccount(accountId: string, id: string): Promise<Call | null> {
    return this.prisma.call.findFirst({ where: { id, accountId } });
  }

  /**
   * One page of a number's calls, newest first by (created_at, id): keyset paging, so a call
   * inserted meanwhile never shifts a page. One more row than `limit` says whether a next page exists.
   */
  list(filter: CallListFilter): Promise<Call[]> {
    const where: Prisma.CallWhereInput = {
      numberId: filter.numberId,
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.direction ? { direction: filter.direction } : {}),
      ...(filter.since || filter.until ? { createdAt: { ...(filter.since ? { gte: filter.since } : {}), ...(filter.until ? { lt: filter.until } : {}) } } : {}),
    };
    const before = filter.before;
    const keyset: Prisma.CallWhereInput | undefined = before
      ? before.id
        ? { OR: [{ createdAt: { lt: before.createdAt } }, { createdAt: before.createdAt, id: { lt: before.id } }] }
        : { createdAt: { lt: before.createdAt } }
      : undefined;
    return this.prisma.call.findMany({
      where: keyset ? { AND: [where, keyset] } : where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: filter.limit + 1,
    });
  }

  /** The call, locked for this transaction (`FOR UPDATE`): events of one call apply one at a time. */
  async lock(tx: PrismaTx, id: string): Promise<LockedCall | null> {
    const [row] = await tx.$queryRaw<LockedCallRow[]>(Prisma.sql`
      SELECT id, account_id, number_id, "to", status::text AS status, telnyx_call_control_id,
             answered_at, ended_at, hangup_cause, duration_seconds
      FROM calls WHERE id = ${id} FOR UPDATE`);
    return row ? lockedCallOf(row) : null;
  }

  /** The call the carrier knows by this call control id, locked. */
  async lockByControlId(tx: PrismaTx, callControlId: string): Promise<LockedCall | null> {
    const [row] = await tx.$queryRaw<{ id: string }[]>(Prisma.sql`SELECT id FROM calls WHERE telnyx_call_control_id = ${callControlId}`);
    return row ? this.lock(tx, row.id) : null;
  }

  async saveFacts(tx: PrismaTx, id: string, facts: CallFacts, telnyxCallControlId?: string): Promise<void> {
    await tx.$executeRaw(Prisma.sql`
      UPDATE calls
         SET status = ${facts.status}::"CallStatus", answered_at = ${facts.answeredAt}, ended_at = ${facts.endedAt},
             hangup_cause = ${facts.hangupCause}, duration_seconds = ${facts.durationSeconds},
             telnyx_call_control_id = COALESCE(telnyx_call_control_id, ${telnyxCallControlId ?? null}), version = version + 1
       WHERE id = ${id}`);
  }

  /** Stores the carrier's id of the call, unless a webhook stored it first. */
  async setControlId(id: string, telnyxCallControlId: string): Promise<void> {
    await this.prisma.queryRows(Prisma.sql`UPDATE calls SET telnyx_call_control_id = ${telnyxCallControlId} WHERE id = ${id} AND telnyx_call_control_id IS NULL RETURNING id`);
  }
}

function lockedCallOf(row: LockedCallRow): LockedCall {
  return {
    id: row.id,
    accountId: row.account_id,
    numberId: row.number_id,
    to: row.to,
    telnyxCallControlId: row.telnyx_call_control_id,
    facts: {
      status: row.status,
      answeredAt: row.answered_at,
      endedAt: row.ended_at,
      hangupCause: row.hangup_cause,
      durationSeconds: row.duration_seconds,
    },
  };
}
