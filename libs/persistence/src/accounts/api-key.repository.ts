import { Injectable } from '@nestjs/common';
import { generateApiKey, isId, newId, parseApiKey } from '@numbers/domain';
import { compiledOnce } from '../database/compiled-once';
import { Database, type Executor, type Tx } from '../database/database';

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

export async function createApiKey(db: Executor, accountId: string, name = 'default'): Promise<CreatedApiKey> {
  const { key, prefix, hash } = generateApiKey();
  const id = newId();
  await db.insertInto('apiKeys').values({ id, accountId, name, prefix, keyHash: hash }).execute();
  return { id, accountId, prefix, apiKey: key };
}

/**
 * Revokes a key named by its id, its prefix or the whole key. Returns whether a key that was
 * active is now revoked (false when there is no such key or it was revoked already).
 */
export async function revokeApiKey(db: Executor, prefixOrId: string, now: Date = new Date()): Promise<boolean> {
  const prefix = parseApiKey(prefixOrId) ?? prefixOrId;
  const { numUpdatedRows } = await db
    .updateTable('apiKeys')
    .set({ revokedAt: now })
    .where((eb) => (isId(prefixOrId) ? eb.or([eb('id', '=', prefixOrId), eb('prefix', '=', prefix)]) : eb('prefix', '=', prefix)))
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  return numUpdatedRows > 0n;
}

/**
 * Stamps `last_used_at`, at most once per minute per key whatever the number of gateway
 * replicas: the write is conditional on the stored stamp being older than that.
 */
export async function recordApiKeyUse(db: Executor, id: string, now: Date = new Date()): Promise<boolean> {
  const staleBefore = new Date(now.getTime() - API_KEY_LAST_USED_RESOLUTION_MS);
  const { numUpdatedRows } = await db
    .updateTable('apiKeys')
    .set({ lastUsedAt: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('lastUsedAt', 'is', null), eb('lastUsedAt', '<=', staleBefore)]))
    .executeTakeFirst();
  return numUpdatedRows > 0n;
}

/** Whether a key loaded at `now` is due a `last_used_at` write (saves the query when it is not). */
export function isLastUseStale(lastUsedAt: Date | null, now: Date = new Date()): boolean {
  return lastUsedAt === null || now.getTime() - lastUsedAt.getTime() >= API_KEY_LAST_USED_RESOLUTION_MS;
}

@Injectable()
export class ApiKeyRepository {
  /** The look-up every authenticated request makes (unique index on prefix): compiled once. */
  private readonly activeByPrefix;

  constructor(private readonly db: Database) {
    // A disabled account's keys do not work (account:disable): the same one statement, joined on the account's primary key.
    this.activeByPrefix = compiledOnce((prefix: string) =>
      db
        .selectFrom('apiKeys')
        .innerJoin('accounts', 'accounts.id', 'apiKeys.accountId')
        .select(['apiKeys.id', 'apiKeys.accountId', 'apiKeys.keyHash', 'apiKeys.lastUsedAt'])
        .where('apiKeys.prefix', '=', prefix)
        .where('apiKeys.revokedAt', 'is', null)
        .where('accounts.disabledAt', 'is', null),
    );
  }

  createKey(accountId: string, name?: string, tx?: Tx): Promise<CreatedApiKey> {
    return createApiKey(tx ?? this.db, accountId, name);
  }

  revokeKey(prefixOrId: string, tx?: Tx): Promise<boolean> {
    return revokeApiKey(tx ?? this.db, prefixOrId);
  }

  async findActiveByPrefix(prefix: string, tx?: Tx): Promise<ActiveApiKey | null> {
    const { rows } = await (tx ?? this.db).executeQuery(this.activeByPrefix(prefix));
    return rows[0] ?? null;
  }

  /** Writes `last_used_at` when the loaded key is due it; a no-op otherwise. */
  async recordUse(key: Pick<ActiveApiKey, 'id' | 'lastUsedAt'>, now: Date = new Date(), tx?: Tx): Promise<boolean> {
    if (!isLastUseStale(key.lastUsedAt, now)) return false;
    return recordApiKeyUse(tx ?? this.db, key.id, now);
  }
}
