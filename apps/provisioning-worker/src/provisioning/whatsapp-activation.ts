import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import { WHATSAPP_CODE_REQUESTED } from '@numbers/domain';
import { NumberLifecycle, PhoneNumberRecords, type PhoneNumber, type TransitionResult } from '@numbers/persistence';
import { isTwoStepPinMismatch, WHATSAPP_GATEWAY, type WhatsAppGateway } from '@numbers/providers';
import type { SettlementContext } from './provisioning-failure';
import { twoStepPin } from './two-step-pin';

export const VERIFIED = 'VERIFIED';

export type CodeRequest = { status: 'requested' } | { status: 'requested_elsewhere' } | { status: 'activated'; applied: boolean };

/** A number on its way through WhatsApp registration: its row as read, with Meta's id stored. */
export type RegisteringNumber = PhoneNumber & { metaPhoneNumberId: string };

/**
 * WhatsApp verification of a `verifying` number. `requestCode`: have Meta send the activation
 * code by SMS (the `register-whatsapp` job, and the `resume-stalled-provisioning` sweep when the
 * SMS did not come), counting the requests on the number. `complete`, the end of registration:
 * submit the code (when there is one to submit), register the number for the Cloud API with its
 * two-step PIN, and apply `whatsapp_verified` (→ active). Each Meta call of `complete` is safe
 * again: the same code verifies again after success, and the PIN is derived from the number id,
 * so a second `register` sends the same one (a PIN left by an earlier holder of the phone number
 * is replaced). Neither takes a transaction: Meta is called with none
 * open, and each record is one statement.
 */
@Injectable()
export class WhatsAppActivation {
  private readonly logger = new Logger(WhatsAppActivation.name);

  constructor(
    private readonly config: AppConfig,
    private readonly numbers: PhoneNumberRecords,
    private readonly lifecycle: NumberLifecycle,
    @Inject(WHATSAPP_GATEWAY) private readonly whatsapp: WhatsAppGateway,
  ) {}

  /**
   * Asks Meta to send the code, recorded first (`metaVerificationStatus` NOT_VERIFIED, when, one
   * more request: `claimCodeRequest`): Meta sends the SMS before it answers, and the SMS's code is
   * taken only for a number waiting for one, so it must not come back to a number that does not
   * yet say so. Another run that claimed the request first (read the same number) has Meta asked
   * by that run, not this one: `requested_elsewhere`. A number Meta says is verified already is
   * registered at once (`complete`). A request that fails (Meta's answer, or that registration) is
   * taken back, so the job's retry asks again; a process that dies between the record and Meta's
   * answer leaves the record, and the `resume-stalled-provisioning` sweep asks again after
   * `WHATSAPP_CODE_TIMEOUT_MS` (as for a lost SMS).
   */
  async requestCode(number: RegisteringNumber, context: SettlementContext): Promise<CodeRequest> {
    if (!(await this.numbers.claimCodeRequest(number, WHATSAPP_CODE_REQUESTED))) return { status: 'requested_elsewhere' };
    try {
      const { status } = await this.whatsapp.requestCode(number.metaPhoneNumberId);
      if (status === 'already_verified') {
        const result = await this.complete(number, null, context);
        return { status: 'activated', applied: result.applied };
      }
    } catch (error) {
      await this.numbers.withdrawCodeRequest(number, WHATSAPP_CODE_REQUESTED);
      throw error;
    }
    this.logger.log({ numberId: number.id, metaPhoneNumberId: number.metaPhoneNumberId }, 'WhatsApp code requested');
    return { status: 'requested' };
  }

  async complete(number: RegisteringNumber, code: string | null, context: SettlementContext): Promise<TransitionResult> {
    if (code !== null) await this.whatsapp.verifyCode(number.metaPhoneNumberId, code);
    await this.register(number.metaPhoneNumberId, twoStepPin(this.config.twoStepPinKey, number.id));
    const result = await this.lifecycle.apply(number, 'whatsapp_verified', { ...context, patch: { metaVerificationStatus: VERIFIED } });
    this.logger.log({ numberId: number.id, metaPhoneNumberId: number.metaPhoneNumberId, applied: result.applied }, 'number registered on WhatsApp');
    return result;
  }

  /**
   * Meta keeps a phone number's two-step PIN after it is deregistered, so a phone number one of
   * our numbers held before (released, then picked again at the carrier) still has that number's
   * PIN. The registration is this number's now (`register-whatsapp` found no other holding it):
   * its PIN is set to this one and the registration sent again.
   */
  private async register(metaPhoneNumberId: string, pin: string): Promise<void> {
    try {
      await this.whatsapp.register(metaPhoneNumberId, pin);
    } catch (error) {
      if (!isTwoStepPinMismatch(error)) throw error;
      this.logger.warn({ metaPhoneNumberId }, "the phone number's two-step PIN was set by an earlier holder: setting this number's");
      await this.whatsapp.setTwoStepPin(metaPhoneNumberId, pin);
      await this.whatsapp.register(metaPhoneNumberId, pin);
    }
  }
}
