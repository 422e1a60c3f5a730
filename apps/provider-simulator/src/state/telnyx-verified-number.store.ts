import { randomDigits } from '../shared/random-id';

/** A number on the account's verified list, and the code it was last sent. */
export interface VerifiedNumberRecord {
  /** E.164. */
  phoneNumber: string;
  verificationMethod: 'sms' | 'call';
  /** The code last sent (what the phone received), null once used. */
  code: string | null;
  /** Unix seconds (simulated clock) after which the code is refused. */
  codeExpiresAt: number;
  codesSent: number;
  /** ISO 8601 once verified. */
  verifiedAt: string | null;
}

/** How long a verification code is good for. */
export const VERIFICATION_CODE_TTL_SECONDS = 600;

/** Telnyx's verified numbers: the caller ids it lets the account present. */
export class TelnyxVerifiedNumberStore {
  private readonly numbers = new Map<string, VerifiedNumberRecord>();

  /** Sends a new code (every request does); a number verified before stays verified. */
  sendCode(phoneNumber: string, method: 'sms' | 'call', now: number): VerifiedNumberRecord {
    const record = this.numbers.get(phoneNumber) ?? { phoneNumber, verificationMethod: method, code: null, codeExpiresAt: 0, codesSent: 0, verifiedAt: null };
    record.verificationMethod = method;
    record.code = randomDigits(6);
    record.codeExpiresAt = now + VERIFICATION_CODE_TTL_SECONDS;
    record.codesSent += 1;
    this.numbers.set(phoneNumber, record);
    return record;
  }

  /** Verifies the number when `code` is its current, unexpired code; the code is then used up. */
  verify(record: VerifiedNumberRecord, code: string, now: number, nowIso: string): boolean {
    if (record.code === null || record.code !== code || now > record.codeExpiresAt) return false;
    record.code = null;
    record.verifiedAt = nowIso;
    return true;
  }

  find(phoneNumber: string): VerifiedNumberRecord | undefined {
    return this.numbers.get(phoneNumber);
  }

  list(): VerifiedNumberRecord[] {
    return [...this.numbers.values()];
  }

  clear(): void {
    this.numbers.clear();
  }
}
