import { randomInt } from 'node:crypto';
import type { MetaNumberRecord, MetaStore, VerificationCodeRecord } from '../state/meta.store';
import type { TelnyxInboundMessages } from '../telnyx/telnyx-inbound-messages.service';

/** Who the verification SMS comes from, as the carrier sees it. */
export const META_CODE_SMS_SENDER = '+15550001111';

/** How long a verification code stays valid. */
export const CODE_TTL_SECONDS = 10 * 60;

/** The SMS text, phrased as Meta's documentation shows it (`WhatsApp code 123-830`). */
export function verificationSmsText(code: string): string {
  return `WhatsApp code ${code.slice(0, 3)}-${code.slice(3)}\nDon't share this code with others`;
}

/**
 * `request_code` with `code_method=SMS`: a fresh 6-digit code, "sent" as an SMS to the number —
 * which, for a number held at the simulated carrier, arrives as Telnyx's signed
 * `message.received` webhook. The control API can drop or delay the next one.
 */
export class MetaCodeSms {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly store: MetaStore,
    private readonly carrier: TelnyxInboundMessages,
  ) {}

  send(record: MetaNumberRecord, now: number): VerificationCodeRecord {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const plan = this.store.nextCodeSms ?? { drop: false, delayMs: 0 };
    this.store.nextCodeSms = null;
    const verification: VerificationCodeRecord = { code, requestedAt: now, expiresAt: now + CODE_TTL_SECONDS, failedAttempts: 0, sms: 'sent' };
    record.verification = verification;
    record.codeVerificationStatus = 'NOT_VERIFIED';
    if (plan.drop) {
      verification.sms = 'dropped';
    } else if (!this.carrier.canReceive(record.phoneNumber)) {
      verification.sms = 'not_on_carrier';
    } else if (plan.delayMs > 0) {
      verification.sms = 'delayed';
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (this.deliver(record.phoneNumber, code)) verification.sms = 'sent';
      }, plan.delayMs);
      this.timers.add(timer);
    } else {
      this.deliver(record.phoneNumber, code);
    }
    return verification;
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private deliver(to: string, code: string): boolean {
    if (!this.carrier.canReceive(to)) return false;
    this.carrier.receive({ to, from: META_CODE_SMS_SENDER, text: verificationSmsText(code) });
    return true;
  }
}
