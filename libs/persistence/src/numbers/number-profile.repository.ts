import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '../database/database';
import type { Actor } from '../database/rows';

export type ProfileMoveOutcome =
  | { kind: 'number_not_found' }
  | { kind: 'profile_not_found' }
  | { kind: 'released' }
  | { kind: 'already_there'; profileId: string }
  | { kind: 'moved'; fromProfileId: string; profileId: string };

export interface ProfileMove {
  accountId: string;
  numberId: string;
  profileId: string;
  cause: string;
  actor: Actor;
}

/**
 * Which of its account's profiles a number is on. A move changes `profile_id` and records itself
 * in `number_profile_moves` (number:history shows it) in one transaction, the number locked so
 * two moves at once are recorded in the order they applied. Not a state change: the status,
 * version and status history are left alone.
 */
@Injectable()
export class NumberProfileRepository {
  constructor(private readonly db: Database) {}

  move(input: ProfileMove): Promise<ProfileMoveOutcome> {
    return this.db.transaction().execute(async (tx): Promise<ProfileMoveOutcome> => {
      const number = await tx
        .selectFrom('phoneNumbers')
        .select(['id', 'profileId', 'status'])
        .where('id', '=', input.numberId)
        .where('accountId', '=', input.accountId)
        .forUpdate()
        .executeTakeFirst();
      if (!number) return { kind: 'number_not_found' };
      const profile = await tx
        .selectFrom('profiles')
        .select('id')
        .where('id', '=', input.profileId)
        .where('accountId', '=', input.accountId)
        .executeTakeFirst();
      if (!profile) return { kind: 'profile_not_found' };
      if (number.status === 'released') return { kind: 'released' };
      if (number.profileId === profile.id) return { kind: 'already_there', profileId: profile.id };
      await tx.updateTable('phoneNumbers').set({ profileId: profile.id, updatedAt: sql`now()` }).where('id', '=', number.id).execute();
      await tx
        .insertInto('numberProfileMoves')
        .values({ numberId: number.id, fromProfileId: number.profileId, toProfileId: profile.id, cause: input.cause, actor: input.actor })
        .execute();
      return { kind: 'moved', fromProfileId: number.profileId, profileId: profile.id };
    });
  }
}
