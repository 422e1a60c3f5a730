import { Injectable } from '@nestjs/common';
import { jobRequest } from '@numbers/contracts';
import { applyCallEvent, callEventOf, callReceivedEventOf, isFinalCallStatus, stalledCallEvent, type CallCursor, type CallEvent, type CallFacts, type CallStatus, type PermissionRecord } from '@numbers/domain';
import { sql } from 'kysely';
import { Database, type Tx } from '../database/database';
import { cte } from '../database/cte';
import { outboxInsert } from '../outbox/outbox.repository';
import type { Call } from '../database/rows';
import { recordCustomerEvent } from '../webhooks-out/customer-event.repository';
import { callingNumberSubject } from './calling-number-subject';

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

/** A consumer's call the carrier received for one of our numbers (`call.initiated`, direction incoming). */
export interface NewInboundCall {
  id: string;
  accountId: string;
  numberId: string;
  /** The business number called. */
  fromNumber: string;
  /** The consumer calling. */
  to: string;
  forwardTo: string | null;
  recordingEnabled: boolean;
  telnyxCallControlId: string;
  createdAt: Date;
}

/** An inbound call about to be answered, with what answering needs of its number. */
export interface CallToAnswer {
  id: string;
  status: CallStatus;
  telnyxCallControlId: string | null;
  fromNumber: string;
  forwardTo: string | null;
  recordingEnabled: boolean;
  numberStatus: string;
  callingStatus: string;
}

/** A call about to be dialed, with what the dial needs of its number. */
export interface CallToDial {
  id: string;
  status: CallStatus;
  telnyxCallControlId: string | null;
  to: string;
  recordingEnabled: boolean;
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

export interface LockedCall {
  id: string;
  accountId: string;
  numberId: string;
  direction: 'outbound' | 'inbound';
  to: string;
  metaCallId: string | null;
  telnyxCallControlId: string | null;
  createdAt: Date;
  facts: CallFacts;
}

const LOCKED_CALL_COLUMNS = ['id', 'accountId', 'numberId', 'direction', 'to', 'metaCallId', 'status', 'telnyxCallControlId', 'createdAt', 'answeredAt', 'endedAt', 'hangupCause', 'durationSeconds'] as const;

/** `calls`: the call log, and the one row each carrier event moves under a lock. */
@Injectable()
export class CallRepository {
  constructor(private readonly db: Database) {}

  /**
   * The sending number of the account, its country's outbound rule and the consumer's permission,
   * in one read (the hot path of `POST /v1/whatsapp/calls`); null when the account has no such number.
   * It reads phone_numbers itself, not through PhoneNumberRecords, to stay one statement.
   */
  async findCaller(accountId: string, numberId: string, consumer: string): Promise<Caller | null> {
    const row = await this.db
      .selectFrom('phoneNumbers as n')
      .leftJoin('countries as c', 'c.code', 'n.country')
      .leftJoin('callPermissions as p', (join) => join.onRef('p.numberId', '=', 'n.id').on('p.consumer', '=', consumer))
      .select((eb) => [
        'n.id',
        'n.accountId',
        'n.status',
        'n.country',
        'n.phoneNumber',
        'n.callingEnabled',
        'n.callingStatus',
        'n.callingDetail',
        'n.callingForwardTo',
        'n.callingRecordingEnabled',
        eb.fn.coalesce('c.outboundCallingAvailable', eb.lit(false)).as('outboundCallingAvailable'),
        'p.status as permissionStatus',
        'p.expiresAt',
        'p.windowOpenedAt',
        'p.lastConnectedCallAt',
        'p.decidedAt',
      ])
      .where('n.id', '=', numberId)
      .where('n.accountId', '=', accountId)
      .executeTakeFirst();
    if (!row) return null;
    const { permissionStatus, expiresAt, windowOpenedAt, lastConnectedCallAt, decidedAt, ...number } = row;
    return { ...number, permission: permissionStatus ? { status: permissionStatus, expiresAt, windowOpenedAt, lastConnectedCallAt, decidedAt } : null };
  }

  /** The call (`dialing`) and its `place-call` job in one statement: both are written, or neither. */
  async createWithDialJob(call: NewCall): Promise<void> {
    const job = jobRequest('place-call', { callId: call.id });
    await this.db
      .with('inserted', (db) =>
        db
          .insertInto('calls')
          .values({ ...call, direction: 'outbound', status: 'dialing' })
          .returning('id'),
      )
      .with('outbox', () => cte(outboxInsert([job], [], sql`EXISTS (SELECT 1 FROM inserted)`)))
      .selectNoFrom(sql`1`.as('done'))
      .execute();
  }

  /** The call and what dialing it needs of its number, in one read (phone_numbers joined here for that). */
  async findToDial(id: string): Promise<CallToDial | null> {
    const row = await this.db
      .selectFrom('calls as c')
      .innerJoin('phoneNumbers as n', 'n.id', 'c.numberId')
      .select([
        'c.id',
        'c.status',
        'c.telnyxCallControlId',
        'c.to',
        'c.recordingEnabled',
        'c.numberId',
        'n.status as numberStatus',
        'n.callingStatus',
        'n.phoneNumber',
        'n.sipUsername',
        'n.sipPasswordSealed',
      ])
      .where('c.id', '=', id)
      .executeTakeFirst();
    return row ?? null;
  }

  /**
   * Records a consumer's call the first time the carrier tells of it (any of its events, in any
   * order: the control id is unique, so a second one inserts nothing), `ringing`, with its
   * `answer-inbound-call` job and the customer's `call.received`, in the caller's transaction.
   * The call, locked, and whether this event made it.
   */
  async receiveInbound(call: NewInboundCall, tx: Tx): Promise<{ call: LockedCall; created: boolean } | null> {
    const inserted = await tx
      .insertInto('calls')
      .values({ ...call, direction: 'inbound', status: 'ringing' })
      .onConflict((oc) => oc.column('telnyxCallControlId').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) {
      await outboxInsert([jobRequest('answer-inbound-call', { callId: call.id })], []).execute(tx);
      const number = await callingNumberSubject(tx, call.numberId);
      if (number) {
        const subject = { id: call.id, direction: 'inbound' as const, to: call.to, metaCallId: null, createdAt: call.createdAt, number };
        await recordCustomerEvent(tx, call.accountId, callReceivedEventOf(subject, call.forwardTo, new Date()));
      }
    }
    const locked = await this.lockByControlId(call.telnyxCallControlId, tx);
    return locked && { call: locked, created: inserted !== undefined };
  }

  /** The inbound call and what answering it needs of its number, in one read. */
  async findToAnswer(id: string): Promise<CallToAnswer | null> {
    const row = await this.db
      .selectFrom('calls as c')
      .innerJoin('phoneNumbers as n', 'n.id', 'c.numberId')
      .select(['c.id', 'c.status', 'c.telnyxCallControlId', 'c.fromNumber', 'c.forwardTo', 'c.recordingEnabled', 'n.status as numberStatus', 'n.callingStatus'])
      .where('c.id', '=', id)
      .where('c.direction', '=', 'inbound')
      .executeTakeFirst();
    return row ?? null;
  }

  /**
   * Moves the carrier's recording onto the call (locked in `tx`): the latest one saved wins, so
   * a redelivered or late `call.recording.saved` leaves the same recording. False when it changed nothing.
   */
  async saveRecording(id: string, recordingId: string, savedAt: Date, tx: Tx): Promise<boolean> {
    const result = await tx
      .updateTable('calls')
      .set((eb) => ({ recordingId, recordingSavedAt: savedAt, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where((eb) => eb.or([eb('recordingSavedAt', 'is', null), eb('recordingSavedAt', '<', savedAt)]))
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * Records Meta's id of the call (`calls` webhook): the latest call of this number with this
   * consumer and direction, begun at most `window` before Meta's event and not yet given one.
   * The call id given it, or null when no call fits (already recorded, or not one of ours).
   */
  async recordMetaCallId(
    match: { numberId: string; consumer: string; direction: 'outbound' | 'inbound'; at: Date; windowMs: number },
    metaCallId: string,
    tx: Tx,
  ): Promise<string | null> {
    const known = await tx.selectFrom('calls').select('id').where('metaCallId', '=', metaCallId).executeTakeFirst();
    if (known) return null;
    const row = await tx
      .updateTable('calls')
      .set({ metaCallId })
      .where('id', '=', (eb) =>
        eb
          .selectFrom('calls')
          .select('id')
          .where('numberId', '=', match.numberId)
          .where('to', '=', match.consumer)
          .where('direction', '=', match.direction)
          .where('metaCallId', 'is', null)
          .where('createdAt', '>=', new Date(match.at.getTime() - match.windowMs))
          .where('createdAt', '<=', new Date(match.at.getTime() + match.windowMs))
          .orderBy('createdAt', 'desc')
          .limit(1),
      )
      .returning('id')
      .executeTakeFirst();
    return row?.id ?? null;
  }

  async find(id: string, tx?: Tx): Promise<Call | null> {
    return (await (tx ?? this.db).selectFrom('calls').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
  }

  async findForAccount(accountId: string, id: string): Promise<Call | null> {
    return (await this.db.selectFrom('calls').selectAll().where('id', '=', id).where('accountId', '=', accountId).executeTakeFirst()) ?? null;
  }

  /**
   * One page of a number's calls, newest first by (created_at, id): keyset paging, so a call
   * inserted meanwhile never shifts a page. One more row than `limit` says whether a next page exists.
   */
  list(filter: CallListFilter): Promise<Call[]> {
    const { before } = filter;
    return this.db
      .selectFrom('calls')
      .selectAll()
      .where('numberId', '=', filter.numberId)
      .$if(filter.status !== undefined, (q) => q.where('status', '=', filter.status as CallStatus))
      .$if(filter.direction !== undefined, (q) => q.where('direction', '=', filter.direction as 'outbound' | 'inbound'))
      .$if(filter.since !== undefined, (q) => q.where('createdAt', '>=', filter.since as Date))
      .$if(filter.until !== undefined, (q) => q.where('createdAt', '<', filter.until as Date))
      .$if(before !== undefined, (q) =>
        q.where((eb) =>
          before?.id ? eb(eb.refTuple('createdAt', 'id'), '<', eb.tuple(before.createdAt, before.id)) : eb('createdAt', '<', before?.createdAt as Date),
        ),
      )
      .orderBy('createdAt', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit + 1)
      .execute();
  }

  /** The call, locked for this transaction (`FOR UPDATE`): events of one call apply one at a time. */
  async lock(id: string, tx: Tx): Promise<LockedCall | null> {
    const row = await tx.selectFrom('calls').select(LOCKED_CALL_COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
    return row ? lockedCallOf(row) : null;
  }

  /** The call the carrier knows by this call control id, locked. */
  async lockByControlId(callControlId: string, tx: Tx): Promise<LockedCall | null> {
    const row = await tx.selectFrom('calls').select(LOCKED_CALL_COLUMNS).where('telnyxCallControlId', '=', callControlId).forUpdate().executeTakeFirst();
    return row ? lockedCallOf(row) : null;
  }

  /**
   * Writes the call's new facts (the call is locked in `tx`). The first time they reach the end,
   * the customer's `call.ended` or `call.failed` is born with them.
   */
  async saveFacts(call: LockedCall, facts: CallFacts, telnyxCallControlId: string | undefined, tx: Tx): Promise<void> {
    const id = call.id;
    await tx
      .updateTable('calls')
      .set((eb) => ({
        status: facts.status,
        answeredAt: facts.answeredAt,
        endedAt: facts.endedAt,
        hangupCause: facts.hangupCause,
        durationSeconds: facts.durationSeconds,
        telnyxCallControlId: eb.fn.coalesce('telnyxCallControlId', eb.val(telnyxCallControlId ?? null)),
        version: eb('version', '+', 1),
      }))
      .where('id', '=', id)
      .execute();
    if (isFinalCallStatus(call.facts.status) || !isFinalCallStatus(facts.status)) return;
    const number = await callingNumberSubject(tx, call.numberId);
    const event = number && callEventOf(call.facts.status, facts, { id, direction: call.direction, to: call.to, metaCallId: call.metaCallId, createdAt: call.createdAt, number }, new Date());
    if (event) await recordCustomerEvent(tx, call.accountId, event);
  }

  /** Applies a call event the carrier will send no webhook for (a refused dial), under the call's lock. */
  async applyEvent(id: string, event: CallEvent, tx?: Tx): Promise<void> {
    await this.db.inTransaction(tx, async (tx) => {
      const call = await this.lock(id, tx);
      if (!call) return;
      const outcome = applyCallEvent(call.facts, event);
      if (outcome.changed) await this.saveFacts(call, outcome.facts, undefined, tx);
    });
  }

  /** Calls still `dialing` or `ringing` that began before `createdBefore`, oldest first: the calling sweep's. */
  async stalled(createdBefore: Date, limit: number): Promise<Array<Pick<Call, 'id' | 'status' | 'createdAt'>>> {
    return this.db
      .selectFrom('calls')
      .select(['id', 'status', 'createdAt'])
      .where('status', 'in', ['dialing', 'ringing'])
      .where('createdAt', '<', createdBefore)
      .orderBy('createdAt')
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  /**
   * Ends a stalled call (`stalledCallEvent`) if, under its lock, it is still dialing or ringing:
   * a webhook that moved it on meanwhile wins. The call's new status, or null when it had moved on.
   */
  async failStalled(id: string, at: Date): Promise<CallStatus | null> {
    return this.db.transaction().execute(async (tx) => {
      const call = await this.lock(id, tx);
      const event = call && stalledCallEvent(call.facts.status, at);
      if (!call || !event) return null;
      const outcome = applyCallEvent(call.facts, event);
      if (!outcome.changed) return null;
      await this.saveFacts(call, outcome.facts, undefined, tx);
      return outcome.facts.status;
    });
  }

  /** Stores the carrier's id of the call, unless a webhook stored it first. */
  async setControlId(id: string, telnyxCallControlId: string, tx?: Tx): Promise<void> {
    await (tx ?? this.db).updateTable('calls').set({ telnyxCallControlId }).where('id', '=', id).where('telnyxCallControlId', 'is', null).execute();
  }
}

function lockedCallOf(row: Pick<Call, (typeof LOCKED_CALL_COLUMNS)[number]>): LockedCall {
  const { id, accountId, numberId, direction, to, metaCallId, telnyxCallControlId, createdAt, ...facts } = row;
  return { id, accountId, numberId, direction, to, metaCallId, telnyxCallControlId, createdAt, facts };
}
