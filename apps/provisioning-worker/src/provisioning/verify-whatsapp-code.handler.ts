import { Logger } from '@nestjs/common';
import type { JobPayloads } from '@numbers/contracts';
import { awaitsWhatsAppCode } from '@numbers/domain';
import { GiveUpError, JobHandler, type HandlesJob, type JobContext } from '@numbers/messaging';
import { NumberLifecycle, PhoneNumberRecords } from '@numbers/persistence';
import { WhatsAppActivation } from './whatsapp-activation';

export type VerificationOutcome = { applied: boolean; reason?: string };

/**
 * The activation code a `verifying` number received by SMS (MessageReceivedEventHandler) is
 * submitted to Meta, the number registered with its two-step PIN and moved to `active`
 * (WhatsAppActivation.complete; each Meta call is safe again, so a retry or a second SMS with
 * the same code does no harm). A number that has moved on (a second code after activation) is
 * recorded as not applied, nothing asked of Meta; so is one that has no code requested. A code Meta refuses fails the job; the number
 * stays `verifying` and the `resume-stalled-provisioning` sweep requests another code.
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
    const result = await this.activation.complete({ ...number, metaPhoneNumberId: number.metaPhoneNumberId }, code, context);
    return { applied: result.applied };
  }
}
