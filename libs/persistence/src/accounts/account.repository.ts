import { Injectable } from '@nestjs/common';
import { DomainError, newId } from '@numbers/domain';
import { sql } from 'kysely';
import { Database, type Executor, type Tx } from '../database/database';
import { createApiKey } from './api-key.repository';

export interface CreateAccountInput {
  name: string;
  planCode: string;
  /** Name of the account's first profile; "Default" when not given. */
  profileName?: string;
}

export interface CreatedAccount {
  accountId: string;
  profileId: string;
  /** The first API key, whole: shown once, only its hash is stored. */
  apiKey: string;
  apiKeyId: string;
  apiKeyPrefix: string;
}

/**
 * Creates an account on a plan with its first profile and first API key, in one transaction
 * (the caller's when `db` is one). An unknown plan is a validation error naming `planCode`.
 */
export function createAccountWithKey(db: Executor, input: CreateAccountInput): Promise<CreatedAccount> {
  const work = async (tx: Tx): Promise<CreatedAccount> => {
    const plan = await tx.selectFrom('plans').select('code').where('code', '=', input.planCode).executeTakeFirst();
    if (!plan) {
      throw new DomainError('VALIDATION_FAILED', `Unknown plan: ${input.planCode}`, { param: 'planCode' });
    }
    const accountId = newId();
    const profileId = newId();
    await tx.insertInto('accounts').values({ id: accountId, name: input.name, planCode: plan.code }).execute();
    await tx.insertInto('profiles').values({ id: profileId, accountId, name: input.profileName ?? 'Default' }).execute();
    const key = await createApiKey(tx, accountId);
    return { accountId, profileId, apiKey: key.apiKey, apiKeyId: key.id, apiKeyPrefix: key.prefix };
  };
  return db.isTransaction ? work(db as Tx) : db.transaction().execute(work);
}

/** Adds a profile to an account. */
export async function createProfile(db: Executor, accountId: string, name: string): Promise<{ profileId: string }> {
  const profileId = newId();
  await db.insertInto('profiles').values({ id: profileId, accountId, name }).execute();
  return { profileId };
}

@Injectable()
export class AccountRepository {
  constructor(private readonly db: Database) {}

  createAccountWithKey(input: CreateAccountInput, tx?: Tx): Promise<CreatedAccount> {
    return createAccountWithKey(tx ?? this.db, input);
  }

  createProfile(accountId: string, name: string, tx?: Tx): Promise<{ profileId: string }> {
    return createProfile(tx ?? this.db, accountId, name);
  }

  exists(accountId: string): Promise<boolean> {
    return this.db
      .selectFrom('accounts')
      .select('id')
      .where('id', '=', accountId)
      .executeTakeFirst()
      .then((row) => row !== undefined);
  }

  /**
   * Disables the account (its API keys stop working at once: the key look-up requires an enabled
   * account) or enables it again. Undefined when there is no such account; `disabledAt` is the
   * first disabling's, kept when it was disabled already.
   */
  async setDisabled(accountId: string, disabled: boolean): Promise<{ accountId: string; disabledAt: Date | null } | undefined> {
    const row = await this.db
      .updateTable('accounts')
      .set({ disabledAt: disabled ? sql<Date>`coalesce(disabled_at, now())` : null })
      .where('id', '=', accountId)
      .returning(['id', 'disabledAt'])
      .executeTakeFirst();
    return row && { accountId: row.id, disabledAt: row.disabledAt };
  }
}
