import { Injectable } from '@nestjs/common';
import { applyPermissionReply, type PermissionRecord, type PermissionReply, type StoredPermissionStatus } from '@numbers/domain';
import { Prisma } from '@prisma/client';
import { PrismaService, type PrismaTx } from '../prisma/prisma.service';

export interface ConsumerRef {
  accountId: string;
  numberId: string;
  /** The consumer's WhatsApp id, E.164 with `+`. */
  consumer: string;
}

interface PermissionRow {
  status: StoredPermissionStatus;
  expires_at: Date | null;
  window_opened_at: Date | null;
  last_connected_call_at: Date | null;
  decided_at: Date | null;
}

const PERMISSION_COLUMNS = Prisma.sql`status::text AS status, expires_at, window_opened_at, last_connected_call_at, decided_at`;

/**
 * `call_permissions` (one row per business number and consumer: the window, the answer, the last
 * connected call) and `call_permission_prompts` (the prompts counted against Meta's limits).
 * Every write is one atomic statement or runs under the row's lock, so concurrent webhooks and
 * requests for the same consumer never lose an update.
 */
@Injectable()
export class CallPermissionRepository {
  constructor(private readonly prisma: PrismaService) {}

  async find(numberId: string, consumer: string, tx?: PrismaTx): Promise<PermissionRecord | null> {
    const [row] = await this.prisma.queryRows<PermissionRow>(
      Prisma.sql`SELECT ${PERMISSION_COLUMNS} FROM call_permissions WHERE number_id = ${numberId} AND consumer = ${consumer}`,
      tx,
    );
    return row ? recordOf(row) : null;
  }

  /** The row locked (`FOR UPDATE`) for this transaction; null when the consumer never wrote. */
  async lock(tx: PrismaTx, numberId: string, consumer: string): Promise<PermissionRecord | null> {
    const [row] = await tx.$queryRaw<PermissionRow[]>(
      Prisma.sql`SELECT ${PERMISSION_COLUMNS} FROM call_permissions WHERE number_id = ${numberId} AND consumer = ${consumer} FOR UPDATE`,
    );
    return row ? recordOf(row) : null;
  }

  /** The consumer wrote at `at`: the window runs from their latest message (one upsert). */
  async openWindow(tx: PrismaTx, ref: ConsumerRef, at: Date): Promise<void> {
    await tx.$executeRaw(Prisma.sql`
      INSERT INTO call_permissions (account_id, number_id, consumer, status, window_opened_at, updated_at)
      VALUES (${ref.accountId}, ${ref.numberId}, ${ref.consumer}, 'no_permission', ${at}, now())
      ON CONFLICT (number_id, consumer) DO UPDATE
        SET window_opened_at = GREATEST(call_permissions.window_opened_at, EXCLUDED.window_opened_at), updated_at = now()`);
  }

  /** Applies the consumer's answer to a prompt under the row's lock (the newest answer wins). */
  async applyReply(tx: PrismaTx, ref: ConsumerRef, reply: PermissionReply): Promise<{ before: PermissionRecord; after: PermissionRecord }> {
    await this.openWindow(tx, ref, reply.at);
    const before = await this.lock(tx, ref.numberId, ref.consumer);
    if (!before) throw new Error(`call permission ${ref.numberId}/${ref.consumer} vanished`);
    const after = applyPermissionReply(before, reply);
    await tx.callPermission.update({
      where: { numberId_consumer: { numberId: ref.numberId, consumer: ref.consumer } },
      data: { status: after.status, expiresAt: after.expiresAt, decidedAt: after.decidedAt, windowOpenedAt: after.windowOpenedAt },
    });
    return { before, after };
  }

  /** A call to the consumer connected at `at`: Meta's prompt limits start again from there. */
  async markConnected(tx: PrismaTx, ref: ConsumerRef, at: Date): Promise<void> {
    await tx.$executeRaw(Prisma.sql`
      INSERT INTO call_permissions (account_id, number_id, consumer, status, last_connected_call_at, updated_at)
      VALUES (${ref.accountId}, ${ref.numberId}, ${ref.consumer}, 'no_permission', ${at}, now())
      ON CONFLICT (number_id, consumer) DO UPDATE
        SET last_connected_call_at = GREATEST(call_permissions.last_connected_call_at, EXCLUDED.last_connected_call_at), updated_at = now()`);
  }

  /** When the prompts still counted against the limits were accepted (failed ones are not), since `since`. */
  async promptTimes(numberId: string, consumer: string, since: Date, tx?: PrismaTx): Promise<Date[]> {
    const rows = await (tx ?? this.prisma).callPermissionPrompt.findMany({
      where: { numberId, consumer, sentAt: { gt: since }, status: { not: 'failed' } },
      select: { sentAt: true },
    });
    return rows.map((row) => row.sentAt);
  }

  async addPrompt(tx: PrismaTx, prompt: { id: string; numberId: string; consumer: string; bodyText: string | null; sentAt: Date }): Promise<void> {
    await tx.callPermissionPrompt.create({ data: { ...prompt, status: 'queued' } });
  }

  findPrompt(id: string) {
    return this.prisma.callPermissionPrompt.findUnique({ where: { id } });
  }

  async markPromptSent(id: string, metaMessageId: string): Promise<void> {
    await this.prisma.callPermissionPrompt.updateMany({ where: { id, status: 'queued' }, data: { status: 'sent', metaMessageId } });
  }

  /** Meta refused the prompt: it no longer counts against the limits. */
  async markPromptFailed(id: string, reason: string): Promise<void> {
    await this.prisma.callPermissionPrompt.updateMany({ where: { id, status: 'queued' }, data: { status: 'failed', failureReason: reason.slice(0, 500) } });
  }
}

function recordOf(row: PermissionRow): PermissionRecord {
  return {
    status: row.status,
    expiresAt: row.expires_at,
    windowOpenedAt: row.window_opened_at,
    lastConnectedCallAt: row.last_connected_call_at,
    decidedAt: row.decided_at,
  };
}
