import { randomDigits } from '../shared/random-id';

export type CodeVerificationStatus = 'NOT_VERIFIED' | 'VERIFIED' | 'EXPIRED';

export interface MetaNumberRecord {
  id: string;
  displayPhoneNumber: string;
  verifiedName: string;
  codeVerificationStatus: CodeVerificationStatus;
  qualityRating: 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN';
  /** Registered for the Cloud API (`register`); `deregister` clears it. */
  registered: boolean;
  deregisteredAt: string | null;
}

export interface NewMetaNumber {
  id?: string;
  displayPhoneNumber: string;
  verifiedName?: string;
  codeVerificationStatus?: CodeVerificationStatus;
  registered?: boolean;
}

export class DuplicateMetaNumberError extends Error {}

/** Meta's side: WhatsApp business phone numbers and whether each is registered. */
export class MetaStore {
  private readonly numbers = new Map<string, MetaNumberRecord>();

  addNumber(input: NewMetaNumber): MetaNumberRecord {
    const id = input.id ?? randomDigits(15);
    if (this.numbers.has(id)) throw new DuplicateMetaNumberError(`phone number id ${id} already exists`);
    const record: MetaNumberRecord = {
      id,
      displayPhoneNumber: input.displayPhoneNumber,
      verifiedName: input.verifiedName ?? 'Numbers Test Business',
      codeVerificationStatus: input.codeVerificationStatus ?? 'VERIFIED',
      qualityRating: 'GREEN',
      registered: input.registered ?? true,
      deregisteredAt: null,
    };
    this.numbers.set(id, record);
    return record;
  }

  find(id: string): MetaNumberRecord | undefined {
    return this.numbers.get(id);
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
  }
}
