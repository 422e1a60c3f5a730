import { Injectable } from '@nestjs/common';
import { jobRequest } from '@numbers/contracts';
import {
  applyPermissionReply,
  permissionRequestEventOf,
  decidePermissionPrompt,
  PERMISSION_PROMPT_LIMITS,
  type PermissionRecord,
  type PermissionReply,
  type PromptDecision,
} from '@numbers/domain';
import { sql } from 'kysely';
import { Database, type Tx } from '../database/database';
import type { CallPermissionPrompt } from '../database/rows';
import { OutboxRepository } from '../outbox/outbox.repository';
import { recordCustomerEvent } from '../webhooks-out/customer-event.repository';
import { callingNumberSubject } from './calling-number-subject';

export interface ConsumerRef {
  accountId: string;
  numberId: string;
  /** The consumer's WhatsApp id, E.164 with `+`. */
  consumer: string;
}

export interface NewPrompt {
  id: string;
  numberId: string;
  consumer: string;
  bodyText: string | null;
  sentAt: Date;
}

const PERMISSION_COLUMNS = ['status', 'expiresAt', 'windowOpenedAt', 'lastConnectedCallAt', 'decidedAt'] as const;

/** How far back prompts count against Meta's limits: the longest limit's period. */
const LONGEST_LIMIT_MS = Math.max(...PERMISSION_PROMPT_LIMITS.map((limit) => limit.periodMs));

const now = sql<Date>`now()`;

/**
 * `call_permissions` (one row per business number and consumer: the window, the answer, the last
 * connected call) and `call_permission_prompts` (the prompts counted against Meta's limits).
 * Every write is one atomic statement or runs under the row's lock, so concurrent webhooks and
 * requests for the same consumer never lose an update.
 */
@Injectable()
export class CallPermissionRepository {
  constructor(
    private readonly db: Database,
    private readonly outbox: OutboxRepository,
  ) {}

  async find(numberId: string, consumer: string, tx?: Tx): Promise<PermissionRecord | null> {
    const row = await (tx ?? this.db)
      .selectFrom('callPermissions')
      .select(PERMISSION_COLUMNS)
      .where('numberId', '=', numberId)
      .where('consumer', '=', consumer)
      .executeTakeFirst();
    return row ?? null;
  }

  /** The consumer wrote at `at`: the window runs from their latest message (one upsert). Returns the row, locked. */
  async openWindow(ref: ConsumerRef, at: Date, tx?: Tx): Promise<PermissionRecord> {
    return (tx ?? this.db)
      .insertInto('callPermissions')
      .values({ ...ref, status: 'no_permission', windowOpenedAt: at, updatedAt: now })
      .onConflict((oc) =>
        oc.columns(['numberId', 'consumer']).doUpdateSet((eb) => ({
          windowOpenedAt: eb.fn('greatest', [eb.ref('callPermissions.windowOpenedAt'), eb.ref('excluded.windowOpenedAt')]),
          updatedAt: now,
        })),
      )
      .returning(PERMISSION_COLUMNS)
      .executeTakeFirstOrThrow();
  }

  /**
   * Applies the consumer's answer to a prompt under the row's lock (the newest answer wins); the
   * answer that decides the permission is the customer's `call.permission_request` event, born
   * with it. `responseSource`: Meta's, `user_action` when it gives none.
   */
  async applyReply(ref: ConsumerRef, reply: PermissionReply & { responseSource?: string }, tx?: Tx): Promise<{ before: PermissionRecord; after: PermissionRecord }> {
    return this.db.inTransaction(tx, async (tx) => {
      // The upsert that opens the window also locks the row until the transaction ends.
      const before = await this.openWindow(ref, reply.at, tx);
      const after = applyPermissionReply(before, reply);
      await tx
        .updateTable('callPermissions')
        .set({ status: after.status, expiresAt: after.expiresAt, decidedAt: after.decidedAt, windowOpenedAt: after.windowOpenedAt, updatedAt: now })
        .where('numberId', '=', ref.numberId)
        .where('consumer', '=', ref.consumer)
        .execute();
      const number = await callingNumberSubject(tx, ref.numberId);
      const event = number && permissionRequestEventOf(before, after, { ...reply, consumer: ref.consumer, responseSource: reply.responseSource ?? 'user_action' }, number, new Date());
      if (event) await recordCustomerEvent(tx, ref.accountId, event);
      return { before, after };
    });
  }

  /** A call to the consumer connected at `at`: Meta's prompt limits start again from there. */
  async markConnected(ref: ConsumerRef, at: Date, tx?: Tx): Promise<void> {
    await (tx ?? this.db)
      .insertInto('callPermissions')
      .values({ ...ref, status: 'no_permission', lastConnectedCallAt: at, updatedAt: now })
      .onConflict((oc) =>
        oc.columns(['numberId', 'consumer']).doUpdateSet((eb) => ({
          lastConnectedCallAt: eb.fn('greatest', [eb.ref('callPermissions.lastConnectedCallAt'), eb.ref('excluded.lastConnectedCallAt')]),
          updatedAt: now,
        })),
      )
      .execute();
  }

  /**
   * When prompts went out since `since`: those still counted against the limits (`counted`: all
   * but failed ones), or only those recorded as sent (`sent`: Meta answered with their message id).
   */
  async promptTimes(numberId: string, consumer: string, since: Date, which: 'counted' | 'sent' = 'counted', tx?: Tx): Promise<Date[]> {
    const rows = await (tx ?? this.db)
      .selectFrom('callPermissionPrompts')
      .select('sentAt')
      .where('numberId', '=', numberId)
      .where('consumer', '=', consumer)
      .where('sentAt', '>', since)
      .where('status', which === 'sent' ? '=' : '!=', which === 'sent' ? 'sent' : 'failed')
      .execute();
    return rows.map((row) => row.sentAt);
  }

  /** The prompts counting against Meta's limits at `at`. */
  countedPromptTimes(numberId: string, consumer: string, at: Date, tx?: Tx): Promise<Date[]> {
    return this.promptTimes(numberId, consumer, new Date(at.getTime() - LONGEST_LIMIT_MS), 'counted', tx);
  }

  /**
   * Checks Meta's rules for a prompt under the consumer's row lock, so concurrent requests see
   * each other's prompts; when they allow it, counts the prompt and queues its
   * `send-call-permission-request` job in the same transaction, before Meta is asked.
   */
  async queuePrompt(prompt: NewPrompt, tx?: Tx): Promise<PromptDecision> {
    return this.db.inTransaction(tx, async (tx) => {
      const record = await tx
        .selectFrom('callPermissions')
        .select(PERMISSION_COLUMNS)
        .where('numberId', '=', prompt.numberId)
        .where('consumer', '=', prompt.consumer)
        .forUpdate()
        .executeTakeFirst();
      const sent = await this.countedPromptTimes(prompt.numberId, prompt.consumer, prompt.sentAt, tx);
      const decision = decidePermissionPrompt(record ?? null, sent, prompt.sentAt);
      if (!decision.ok) return decision;
      await tx
        .insertInto('callPermissionPrompts')
        .values({ ...prompt, status: 'queued' })
        .execute();
      await this.outbox.add(tx, [jobRequest('send-call-permission-request', { promptId: prompt.id })]);
      return decision;
    });
  }

  async findPrompt(id: string): Promise<CallPermissionPrompt | null> {
    return (await this.db.selectFrom('callPermissionPrompts').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
  }

  /**
   * The intent: a run is about to ask Meta to send the prompt. Its own statement, committed before
   * Meta is asked, so a run after a crash knows Meta may have it already.
   */
  async markPromptSending(id: string): Promise<void> {
    await this.db.updateTable('callPermissionPrompts').set({ sendingAt: now }).where('id', '=', id).where('status', '=', 'queued').execute();
  }

  /** Meta took the prompt; `metaMessageId` null when a run after a crash learnt it from Meta's counts, not its answer. */
  async markPromptSent(id: string, metaMessageId: string | null): Promise<void> {
    await this.db.updateTable('callPermissionPrompts').set({ status: 'sent', metaMessageId }).where('id', '=', id).where('status', '=', 'queued').execute();
  }

  /** Meta refused the prompt: it no longer counts against the limits. */
  async markPromptFailed(id: string, reason: string): Promise<void> {
    await this.db
      .updateTable('callPermissionPrompts')
      .set({ status: 'failed', failureReason: reason.slice(0, 500) })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .execute();
  }
}
