import { Inject, Logger } from '@nestjs/common';
import type { JobPayloads } from '@numbers/contracts';
import { callingCodeOfNumber, WHATSAPP_CODE_REQUESTED } from '@numbers/domain';
import { GiveUpError, JobHandler, type HandlesJob, type JobContext } from '@numbers/messaging';
import { PhoneNumberRecords, type PhoneNumber } from '@numbers/persistence';
import { CARRIER_GATEWAY, WHATSAPP_GATEWAY, type CarrierGateway, type WhatsAppGateway } from '@numbers/providers';
import { ProvisioningFailure, jobContext, type SettlementContext } from './provisioning-failure';
import { WhatsAppActivation } from './whatsapp-activation';

export type RegistrationOutcome =
  | { codeRequested: true; metaPhoneNumberId: string }
  | { codeRequested: false; reason: string; activated?: boolean };

/**
 * Starts WhatsApp registration of a number that entered `verifying`: stores the number's id at
 * the carrier (its order was settled without asking the carrier), adds it to the WhatsApp
 * Business Account (Meta answers the same id for the same number; the id is stored) and asks
 * Meta to send the activation code by SMS. The code comes back through the carrier's
 * `message.received` (MessageReceivedEventHandler). A number whose code was requested already
 * (`metaVerificationStatus` NOT_VERIFIED) is not sent another, so a second run sends nothing
 * (a code that never arrives is requested again by the `resume-stalled-provisioning` sweep);
 * a number Meta says is verified already is registered at once.
 *
 * A number Meta refuses (4xx), or that still fails on the last attempt, ends with
 * `provisioning_failed` and the reason stored.
 */
@JobHandler('register-whatsapp')
export class RegisterWhatsAppHandler implements HandlesJob<'register-whatsapp'> {
  private readonly logger = new Logger(RegisterWhatsAppHandler.name);

  constructor(
    private readonly numbers: PhoneNumberRecords,
    private readonly failure: ProvisioningFailure,
    private readonly activation: WhatsAppActivation,
    @Inject(WHATSAPP_GATEWAY) private readonly whatsapp: WhatsAppGateway,
    @Inject(CARRIER_GATEWAY) private readonly carrier: CarrierGateway,
  ) {}

  async handle({ numberId }: JobPayloads['register-whatsapp'], ctx: JobContext): Promise<RegistrationOutcome> {
    // The account's name is the WhatsApp business name: read with the number, one statement.
    const number = await this.numbers.forRegistration(numberId);
    if (!number) throw new GiveUpError(`number ${numberId} does not exist`);
    if (number.status !== 'verifying') {
      this.logger.log({ numberId, status: number.status, jobId: ctx.jobId }, `registration skipped: number is ${number.status}`);
      return { codeRequested: false, reason: `number is ${number.status}` };
    }
    const outcome = await this.failure.unlessRefused(number, ctx, 'WhatsApp registration failed', () => this.register(number, jobContext(ctx)));
    return 'outcome' in outcome ? { codeRequested: false, reason: outcome.reason } : outcome;
  }

  private async register(number: PhoneNumber & { businessName: string }, context: SettlementContext): Promise<RegistrationOutcome> {
    if (!number.phoneNumber) throw new GiveUpError(`number ${number.id} is verifying without a phone number`);
    const telnyxNumberId = number.telnyxNumberId ?? (await this.carrierNumberId(number.id, number.phoneNumber));
    let metaPhoneNumberId = number.metaPhoneNumberId;
    if (!metaPhoneNumberId) {
      const countryCode = callingCodeOfNumber(number.country, number.phoneNumber);
      if (!countryCode) {
        await this.failure.end(number, `no WhatsApp calling code for ${number.phoneNumber} (${number.country})`, context);
        return { codeRequested: false, reason: 'unknown calling code' };
      }
      ({ metaPhoneNumberId } = await this.whatsapp.addPhoneNumber(
        { countryCode, phoneNumber: number.phoneNumber, verifiedName: number.businessName },
        `whatsapp-add-${number.id}`,
      ));
    }
    // Both ids in one write, when either is new.
    if (telnyxNumberId !== number.telnyxNumberId || metaPhoneNumberId !== number.metaPhoneNumberId) {
      await this.numbers.update(number.id, { telnyxNumberId, metaPhoneNumberId });
    }
    if (number.metaVerificationStatus === WHATSAPP_CODE_REQUESTED) {
      return { codeRequested: false, reason: 'code already requested' };
    }

    const requested = await this.activation.requestCode({ ...number, metaPhoneNumberId }, context);
    if (requested.status === 'activated') return { codeRequested: false, reason: 'already verified', activated: requested.applied };
    return { codeRequested: true, metaPhoneNumberId };
  }

  private async carrierNumberId(numberId: string, phoneNumber: string): Promise<string> {
    const held = await this.carrier.findNumberByPhoneNumber(phoneNumber);
    // The order says fulfilled but the number is not listed yet: try again shortly.
    if (!held) throw new Error(`number ${numberId}: ${phoneNumber} is not on the carrier account yet`);
    return held.id;
  }
}
