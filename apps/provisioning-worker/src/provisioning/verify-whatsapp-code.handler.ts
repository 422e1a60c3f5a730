import { Logger } from '@nestjs/common';
import type { JobPayloads } from '@numbers/contracts';
import { awaitsWhatsAppCode } from '@numbers/domain';
import { GiveUpError, JobHandler, type HandlesJob, type JobContext } from '@numbers/messaging';
import { NumberLifecycle, PhoneNumberRecords } from '@numbers/persistence';
import { isCodeRefused } from '@numbers/providers';
import { WhatsAppActivation } from './whatsapp-activation';

export type VerificationOutcome = { applied: boolean; reason?: string };

/**
 * The activation code a `verifying` number received by SMS (MessageReceivedEventHandler) is
 * submitted to Meta, the number registered with its two-step PIN and moved to `active`
 * (WhatsAppActivation.complete; each Meta call is safe again, so a retry or a second SMS with
 * the same code does no harm). A number that has moved on (a second code after activation) is
 * recorded as not applied, nothing asked of Meta; so is one that has no code requested. A code
 * Meta refuses (`isCodeRefused`: wrong, expired, or replaced by a newer code, as when the sweep
 * requested another) is not applied either, and the job ends: Meta will never
 * accept that code, so a retry or a re-drive would only use up Meta's attempts. The number stays
 * `verifying`: the newer code's SMS activates it, or the `resume-stalled-provisioning` sweep
 * requests another code once `WHATSAPP_CODE_TIMEOUT_MS` has passed.
 */
@JobHandler('verify-whatsapp-code')
export class VerifyWhatsAppCodeHandler implements HandlesJob<'verify-whatsapp-code'> {
  private readonly logger = new Logger(VerifyWhatsAppCodeHandler.name);

  constructor(
    private readonly numbers: PhoneNumberRecords,
    private readonly lifecycle: NumberLifecycle,
    private readonly activation: WhatsAppActivation,
  ) {}

  async handle({ numberId, code, cause }: JobPayloads['verify-whatsapp-code'], ctx: JobContext): Promise<VerificationOutcome> {
    const number = await this.numbers.byId(numberId);
    if (!number) throw new GiveUpError(`number ${numberId} does not exist`);
    // Recorded as the carrier's SMS that brought the code, which this job carries out.
    const context = { cause: `${cause} (job ${ctx.jobId})`, actor: 'telnyx' as const };
    if (number.status !== 'verifying') {
      const result = await this.lifecycle.apply(number, 'whatsapp_verified', context);
      this.logger.log({ numberId, status: number.status, jobId: ctx.jobId }, `code not submitted: number is ${number.status}`);
      return { applied: result.applied, reason: `number is ${number.status}` };
    }
    // A code is submitted only while one is requested: a stray one would use up one of Meta's attempts.
    if (!awaitsWhatsAppCode(number)) {
      this.logger.log({ numberId, jobId: ctx.jobId }, 'code not submitted: no WhatsApp code requested');
      return { applied: false, reason: 'no WhatsApp code requested' };
    }
    // The code cannot come before the registration stored Meta's id; if it did, try again shortly.
    if (!number.metaPhoneNumberId) throw new Error(`number ${number.id} has no WhatsApp id yet`);
    try {
      const result = await this.activation.complete({ ...number, metaPhoneNumberId: number.metaPhoneNumberId }, code, context);
      return { applied: result.applied };
    } catch (error) {
      if (!isCodeRefused(error)) throw error;
      const reason = `Meta refused the code: ${(error as Error).message}`;
      this.logger.warn({ numberId, jobId: ctx.jobId, reason }, 'code not applied: Meta refused it; a newer code or the sweep takes over');
      return { applied: false, reason };
    }
  }
}
