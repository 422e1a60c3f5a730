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

/** Meta's side: WhatsApp business phone numbers, their verification and registration. */
export class MetaStore {
  private readonly numbers = new Map<string, MetaNumberRecord>();
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
      registered: input.registered ?? true,
      deregisteredAt: null,
      verification: null,
      pin: null,
    };
    this.numbers.set(id, record);
    return record;
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
    this.nextCodeSms = null;
  }
}
