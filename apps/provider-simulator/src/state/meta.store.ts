import { randomDigits } from '../shared/random-id';

export type CodeVerificationStatus = 'NOT_VERIFIED' | 'VERIFIED' | 'EXPIRED';

/** The last verification code sent to a number, and what became of its SMS. */
export interface VerificationCodeRecord {
  code: string;
  requestedAt: number;
  expiresAt: number;
  failedAttempts: number;
  sms: 'sent' | 'dropped' | 'delayed' | 'not_on_carrier';
}

export interface MetaNumberRecord {
  id: string;
  /** The WhatsApp Business Account it was added to; null for numbers seeded without one. */
  wabaId: string | null;
  /** E.164, digits only after `+`. */
  phoneNumber: string;
  displayPhoneNumber: string;
  verifiedName: string;
  codeVerificationStatus: CodeVerificationStatus;
  qualityRating: 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN';
  /** How many consumers the number may start conversations with a day (`TIER_250` … `TIER_UNLIMITED`). */
  messagingLimitTier: string;
  /** Registered for the Cloud API (`register`); `deregister` clears it. */
  registered: boolean;
  deregisteredAt: string | null;
  verification: VerificationCodeRecord | null;
  /** The two-step verification PIN set by the first `register`. */
  pin: string | null;
}

export interface NewMetaNumber {
  id?: string;
  wabaId?: string | null;
  displayPhoneNumber: string;
  phoneNumber?: string;
  verifiedName?: string;
  codeVerificationStatus?: CodeVerificationStatus;
  registered?: boolean;
}

export class DuplicateMetaNumberError extends Error {}

/** A WhatsApp Business Account, known once a number is added to it. */
export interface MetaBusinessAccountRecord {
  id: string;
  name: string;
  /** The business portfolio's verification: `verified`, `not_verified`, `pending`. */
  businessVerificationStatus: string;
  /** Meta's timezone enum id (`1`: America/Los_Angeles). */
  timezoneId: string;
}

/** Meta's side: WhatsApp business phone numbers, their verification and registration. */
export class MetaStore {
  private readonly numbers = new Map<string, MetaNumberRecord>();
  private readonly businessAccounts = new Map<string, MetaBusinessAccountRecord>();
  /** What happens to the next verification SMS (control API); used up by one request_code. */
  nextCodeSms: { drop: boolean; delayMs: number } | null = null;

  addNumber(input: NewMetaNumber): MetaNumberRecord {
    const id = input.id ?? randomDigits(15);
    if (this.numbers.has(id)) throw new DuplicateMetaNumberError(`phone number id ${id} already exists`);
    const record: MetaNumberRecord = {
      id,
      wabaId: input.wabaId ?? null,
      phoneNumber: input.phoneNumber ?? `+${input.displayPhoneNumber.replace(/\D/g, '')}`,
      displayPhoneNumber: input.displayPhoneNumber,
      verifiedName: input.verifiedName ?? 'Numbers Test Business',
      codeVerificationStatus: input.codeVerificationStatus ?? 'VERIFIED',
      qualityRating: 'GREEN',
      messagingLimitTier: 'TIER_1K',
      registered: input.registered ?? true,
      deregisteredAt: null,
      verification: null,
      pin: null,
    };
    this.numbers.set(id, record);
    if (record.wabaId) this.ensureBusinessAccount(record.wabaId, record.verifiedName);
    return record;
  }

  /** The account, created (named after the first number's business) the first time a number is added to it. */
  ensureBusinessAccount(id: string, name: string): MetaBusinessAccountRecord {
    let account = this.businessAccounts.get(id);
    if (!account) {
      account = { id, name, businessVerificationStatus: 'verified', timezoneId: '1' };
      this.businessAccounts.set(id, account);
    }
    return account;
  }

  findBusinessAccount(id: string): MetaBusinessAccountRecord | undefined {
    return this.businessAccounts.get(id);
  }

  find(id: string): MetaNumberRecord | undefined {
    return this.numbers.get(id);
  }

  findByPhoneNumber(phoneNumber: string): MetaNumberRecord | undefined {
    return [...this.numbers.values()].find((record) => record.phoneNumber === phoneNumber);
  }

  listByWaba(wabaId: string): MetaNumberRecord[] {
    return [...this.numbers.values()].filter((record) => record.wabaId === wabaId);
  }

  /** Idempotent: deregistering an unregistered number changes nothing. */
  deregister(record: MetaNumberRecord): void {
    if (!record.registered) return;
    record.registered = false;
    record.deregisteredAt = new Date().toISOString();
  }

  list(): MetaNumberRecord[] {
    return [...this.numbers.values()];
  }

  clear(): void {
    this.numbers.clear();
    this.businessAccounts.clear();
    this.nextCodeSms = null;
  }
}
