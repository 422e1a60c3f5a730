import { Injectable } from '@nestjs/common';
import { Prisma } from '@prisma/client';
import { generateApiKey, isId, newId, parseApiKey } from '@numbers/domain';
import { PrismaService, type PrismaTx } from '../prisma/prisma.service';
import type { Db } from './db';

/** How often `last_used_at` may be written per key: at most once per this many ms. */
export const API_KEY_LAST_USED_RESOLUTION_MS = 60_000;

export interface CreatedApiKey {
  id: string;
  accountId: string;
  prefix: string;
  /** The whole key, shown once: only its hash is stored. */
  apiKey: string;
}

/** What the gateway needs to authenticate a request. */
export interface ActiveApiKey {
  id: string;
  accountId: string;
  keyHash: string;
  lastUsedAt: Date | null;
}

export async function createApiKey(db: Db, accountId: string, name = 'default'): Promise<CreatedApiKey> {
  const { key, prefix, hash } = generateApiKey();
  const row = await db.apiKey.create({
    data: { id: newId(), accountId, name, prefix, keyHash: hash },
    select: { id: true },
  });
  return { id: row.id, accountId, prefix, apiKey: key };
}

/**
 * Revokes a key named by its id, its prefix or the whole key. Returns whether a key that was
 * active is now revoked (false when there is no such key or it was revoked already).
 */
export async function revokeApiKey(db: Db, prefixOrId: string, now: Date = new Date()): Promise<boolean> {
  const prefix = parseApiKey(prefixOrId) ?? prefixOrId;
  const where = isId(prefixOrId) ? { OR: [{ id: prefixOrId }, { prefix }] } : { prefix };
  const { count } = await db.apiKey.updateMany({ where: { ...where, revokedAt: null }, data: { revokedAt: now } });
  return count > 0;
}

/**
 * The look-up every authenticated request makes (unique index on prefix). Raw SQL: measured
 * about twice as fast as the equivalent `findFirst`, which matters on this path.
 */
function activeApiKeySql(prefix: string): Prisma.Sql {
  return Prisma.sql`
    SELECT id, account_id AS "accountId", key_hash AS "keyHash", last_used_at AS "lastUsedAt"
    FROM api_keys
    WHERE prefix = ${prefix} AND revoked_at IS NULL`;
}

/**
 * Stamps `last_used_at`, at most once per minute per key whatever the number of gateway
 * replicas: the write is conditional on the stored stamp being older than that.
 */
export async function recordApiKeyUse(db: Db, id: string, now: Date = new Date()): Promise<boolean> {
  const staleBefore = new Date(now.getTime() - API_KEY_LAST_USED_RESOLUTION_MS);
  const { count } = await db.apiKey.updateMany({
    where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: staleBefore } }] },
    data: { lastUsedAt: now },
  });
  return count > 0;
}

/** Whether a key loaded at `now` is due a `last_used_at` write (saves the query when it is not). */
export function isLastUseStale(lastUsedAt: Date | null, now: Date = new Date()): boolean {
  return lastUsedAt === null || now.getTime() - lastUsedAt.getTime() >= API_KEY_LAST_USED_RESOLUTION_MS;
}

@Injectable()
export class ApiKeyRepository {
  constructor(private readonly prisma: PrismaService) {}

  createKey(accountId: string, name?: string, tx?: PrismaTx): Promise<CreatedApiKey> {
    return createApiKey(tx ?? this.prisma, accountId, name);
  }

  revokeKey(prefixOrId: string, tx?: PrismaTx): Promise<boolean> {
    return revokeApiKey(tx ?? this.prisma, prefixOrId);
  }

  async findActiveByPrefix(prefix: string, tx?: PrismaTx): Promise<ActiveApiKey | null> {
    const rows = await this.prisma.queryRows<ActiveApiKey>(activeApiKeySql(prefix), tx);
    return rows[0] ?? null;
  }

  /** Writes `last_used_at` when the loaded key is due it; a no-op otherwise. */
  async recordUse(key: Pick<ActiveApiKey, 'id' | 'lastUsedAt'>, now: Date = new Date(), tx?: PrismaTx): Promise<boolean> {
    if (!isLastUseStale(key.lastUsedAt, now)) return false;
    return recordApiKeyUse(tx ?? this.prisma, key.id, now);
  }
}
