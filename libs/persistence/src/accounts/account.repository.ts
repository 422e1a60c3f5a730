import { Injectable } from '@nestjs/common';
import { DomainError, newId } from '@numbers/domain';
import { PrismaService, type PrismaTx } from '../prisma/prisma.service';
import { createApiKey } from './api-key.repository';
import { inTransaction, type Db } from './db';

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
export function createAccountWithKey(db: Db, input: CreateAccountInput): Promise<CreatedAccount> {
  return inTransaction(db, async (tx) => {
    const plan = await tx.plan.findUnique({ where: { code: input.planCode }, select: { code: true } });
    if (!plan) {
      throw new DomainError('VALIDATION_FAILED', `Unknown plan: ${input.planCode}`, { param: 'planCode' });
    }
    const accountId = newId();
    const profileId = newId();
    await tx.account.create({ data: { id: accountId, name: input.name, planCode: plan.code } });
    await tx.profile.create({ data: { id: profileId, accountId, name: input.profileName ?? 'Default' } });
    const key = await createApiKey(tx, accountId);
    return { accountId, profileId, apiKey: key.apiKey, apiKeyId: key.id, apiKeyPrefix: key.prefix };
  });
}

/** Adds a profile to an account. */
export async function createProfile(db: Db, accountId: string, name: string): Promise<{ profileId: string }> {
  const row = await db.profile.create({ data: { id: newId(), accountId, name }, select: { id: true } });
  return { profileId: row.id };
}

@Injectable()
export class AccountRepository {
  constructor(private readonly prisma: PrismaService) {}

  createAccountWithKey(input: CreateAccountInput, tx?: PrismaTx): Promise<CreatedAccount> {
    return createAccountWithKey(tx ?? this.prisma, input);
  }

  createProfile(accountId: string, name: string, tx?: PrismaTx): Promise<{ profileId: string }> {
    return createProfile(tx ?? this.prisma, accountId, name);
  }
}
