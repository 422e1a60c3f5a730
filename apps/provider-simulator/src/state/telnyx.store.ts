import { randomDigits } from '../shared/random-id';

export type TelnyxNumberStatus =
  | 'purchase-pending'
  | 'active'
  | 'deleted'
  | 'requirement-info-pending'
  | 'requirement-info-under-review';

export type TelnyxNumberType = 'local' | 'toll_free' | 'mobile' | 'national';

export interface TelnyxNumberRecord {
  id: string;
  phoneNumber: string;
  status: TelnyxNumberStatus;
  countryIso: string;
  phoneNumberType: TelnyxNumberType;
  connectionId: string | null;
  messagingProfileId: string | null;
  customerReference: string | null;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  purchasedAt: string;
  activatedAt: string | null;
  deletedAt: string | null;
}

export interface NewTelnyxNumber {
  id?: string;
  phoneNumber?: string;
  status?: TelnyxNumberStatus;
  countryIso?: string;
  phoneNumberType?: TelnyxNumberType;
  connectionId?: string | null;
  messagingProfileId?: string | null;
  customerReference?: string | null;
  tags?: string[];
}

export class DuplicateNumberError extends Error {}

/** Telnyx's side: the numbers on the account, deleted ones kept for the state dump. */
export class TelnyxStore {
  private readonly numbers = new Map<string, TelnyxNumberRecord>();
  /** Live (not deleted) numbers by E.164. */
  private readonly liveByPhoneNumber = new Map<string, TelnyxNumberRecord>();

  addNumber(input: NewTelnyxNumber): TelnyxNumberRecord {
    const id = input.id ?? randomDigits(19);
    const phoneNumber = input.phoneNumber ?? `+1555${randomDigits(7)}`;
    const clash = this.numbers.get(id) ?? this.liveByPhoneNumber.get(phoneNumber);
    if (clash) throw new DuplicateNumberError(`number ${clash.id} already holds ${phoneNumber} or that id`);
    const now = new Date().toISOString();
    const status = input.status ?? 'active';
    const record: TelnyxNumberRecord = {
      id,
      phoneNumber,
      status,
      countryIso: input.countryIso ?? 'US',
      phoneNumberType: input.phoneNumberType ?? 'local',
      connectionId: input.connectionId ?? null,
      messagingProfileId: input.messagingProfileId ?? null,
      customerReference: input.customerReference ?? null,
      tags: input.tags ?? [],
      createdAt: now,
      updatedAt: now,
      purchasedAt: now,
      activatedAt: status === 'active' ? now : null,
      deletedAt: null,
    };
    this.numbers.set(id, record);
    if (status !== 'deleted') this.liveByPhoneNumber.set(phoneNumber, record);
    return record;
  }

  /** A number that is still on the account (not deleted). */
  findLive(id: string): TelnyxNumberRecord | undefined {
    const record = this.numbers.get(id);
    return record && record.status !== 'deleted' ? record : undefined;
  }

  /** The live number holding `phoneNumber` (E.164), if the account has it. */
  findLiveByPhoneNumber(phoneNumber: string): TelnyxNumberRecord | undefined {
    return this.liveByPhoneNumber.get(phoneNumber);
  }

  delete(record: TelnyxNumberRecord): TelnyxNumberRecord {
    const now = new Date().toISOString();
    record.status = 'deleted';
    record.deletedAt = now;
    if (this.liveByPhoneNumber.get(record.phoneNumber) === record) this.liveByPhoneNumber.delete(record.phoneNumber);
    record.updatedAt = now;
    return record;
  }

  list(): TelnyxNumberRecord[] {
    return [...this.numbers.values()];
  }

  clear(): void {
    this.numbers.clear();
    this.liveByPhoneNumber.clear();
  }
}
