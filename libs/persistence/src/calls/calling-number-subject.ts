import type { CallingNumberSubject } from '@numbers/domain';
import type { Executor } from '../database/database';

/** The business number as call events show it. */
export async function callingNumberSubject(executor: Executor, numberId: string): Promise<CallingNumberSubject | null> {
  const row = await executor.selectFrom('phoneNumbers').select(['id', 'profileId', 'phoneNumber', 'metaPhoneNumberId']).where('id', '=', numberId).executeTakeFirst();
  return row ?? null;
}
