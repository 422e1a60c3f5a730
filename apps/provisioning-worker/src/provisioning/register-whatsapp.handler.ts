import { Inject, Logger } from '@nestjs/common';
import type { JobPayloads } from '@numbers/contracts';
import { callingCodeOfNumber, WHATSAPP_CODE_REQUESTED } from '@numbers/domain';
import { GiveUpError, JobHandler, type HandlesJob, type JobContext } from '@numbers/messaging';
import { NumberLifecycle, PhoneNumberRecords, type PhoneNumber } from '@numbers/persistence';
import { CARRIER_GATEWAY, isNumberInUseElsewhere, WHATSAPP_GATEWAY, type CarrierGateway, type WhatsAppGateway } from '@numbers/providers';
import { MAX_CARRIER_ORDERS } from './number-order-settlement';
import { ProvisioningFailure, jobContext, type SettlementContext } from './provisioning-failure';
import { WhatsAppActivation } from './whatsapp-activation';

export type RegistrationOutcome =
  | { codeRequested: true; metaPhoneNumberId: string }
  | { codeRequested: false; reason: string; activated?: boolean };

/**
 * Starts WhatsApp registration of a number that entered `verifying`: stores the number's id at
 * the carrier (its order was settled without asking the carrier), adds it to the WhatsApp
 * Business Account (Meta answers the same id for the same number; the id is stored) and asks
 * Meta to send the activation code by SMS, recorded before Meta is asked (WhatsAppActivation.requestCode:
 * the SMS may come back first). The code comes back through the carrier's `message.received`
 * (MessageReceivedEventHandler). A number whose code was requested already (`metaVerificationStatus`
 * NOT_VERIFIED), or that another run is requesting (it claimed the request first), is not sent
 * another, so a second run sends nothing (a code that never arrives is requested again by the
 * `resume-stalled-provisioning` sweep);
 * a number Meta says is verified already is registered at once.
 *
 * A number Meta refuses (4xx), or that still fails on the last attempt, ends with
 * `provisioning_failed` and the reason stored. One whose registration conflicts (Meta says
 * another WhatsApp Business Account has it, or answers an id another of our numbers holds) and
 * that we picked ourselves gets another pick, as a carrier order that conflicts does: it is given
 * back at the carrier (unless another of our numbers holds it there), never picked again, and
 * `registration_conflicted` takes it back to `provisioning`, whose `order-number` orders another,
 * at most MAX_CARRIER_ORDERS orders in all. A number the customer chose ends instead.
 */
@JobHandler('register-whatsapp')
export class RegisterWhatsAppHandler implements HandlesJob<'register-whatsapp'> {
  private readonly logger = new Logger(RegisterWhatsAppHandler.name);

  constructor(
    private readonly numbers: PhoneNumberRecords,
    private readonly failure: ProvisioningFailure,
    private readonly activation: WhatsAppActivation,
    private readonly lifecycle: NumberLifecycle,
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
    // Stored before Meta is asked: a run that dies while giving the number back finds it again.
    if (telnyxNumberId !== number.telnyxNumberId) await this.numbers.update(number.id, { telnyxNumberId });
    let metaPhoneNumberId = number.metaPhoneNumberId;
    if (!metaPhoneNumberId) {
      const countryCode = callingCodeOfNumber(number.country, number.phoneNumber);
      if (!countryCode) {
        await this.failure.end(number, `no WhatsApp calling code for ${number.phoneNumber} (${number.country})`, context);
        return { codeRequested: false, reason: 'unknown calling code' };
      }
      try {
        ({ metaPhoneNumberId } = await this.whatsapp.addPhoneNumber(
          { countryCode, phoneNumber: number.phoneNumber, verifiedName: number.businessName },
          `whatsapp-add-${number.id}`,
        ));
      } catch (error) {
        if (!isNumberInUseElsewhere(error)) throw error;
        return this.conflicted({ ...number, telnyxNumberId }, number.phoneNumber, `${number.phoneNumber} is registered with another WhatsApp Business Account`, context);
      }
      // The id of a registration another of our numbers holds (a provider lost its state and gave it out twice).
      const heldBy = await this.numbers.othersHoldingProviderIds({ ...number, telnyxNumberId, metaPhoneNumberId });
      if (heldBy.meta) return this.conflicted({ ...number, telnyxNumberId }, number.phoneNumber, `WhatsApp registration ${metaPhoneNumberId} belongs to number ${heldBy.meta}`, context);
      await this.numbers.update(number.id, { metaPhoneNumberId });
    }
    if (number.metaVerificationStatus === WHATSAPP_CODE_REQUESTED) {
      return { codeRequested: false, reason: 'code already requested' };
    }

    const requested = await this.activation.requestCode({ ...number, metaPhoneNumberId }, context);
    if (requested.status === 'activated') return { codeRequested: false, reason: 'already verified', activated: requested.applied };
    if (requested.status === 'requested_elsewhere') return { codeRequested: false, reason: 'code already requested' };
    return { codeRequested: true, metaPhoneNumberId };
  }

  /**
   * The number's WhatsApp registration conflicts. A number we picked, with orders left, is given
   * back and another ordered; else the number ends (its release keeps what another number holds).
   */
  private async conflicted(number: PhoneNumber, phoneNumber: string, conflict: string, context: SettlementContext): Promise<RegistrationOutcome> {
    if (!number.phoneNumberPicked || number.carrierOrders >= MAX_CARRIER_ORDERS) {
      await this.failure.end(number, `WhatsApp registration conflicts: ${conflict}`, context);
      return { codeRequested: false, reason: conflict };
    }
    const heldBy = await this.numbers.othersHoldingProviderIds({ ...number, metaPhoneNumberId: null });
    const kept = heldBy.carrier ? `; carrier number kept: number ${heldBy.carrier} holds it` : '';
    if (number.telnyxNumberId && !heldBy.carrier) await this.carrier.releaseNumber(number.telnyxNumberId, `give-back-${number.id}-${number.carrierOrders}`);
    const result = await this.lifecycle.apply(number, 'registration_conflicted', {
      ...context,
      cause: `${context.cause}; ${conflict}: given back${kept}`,
      patch: {
        phoneNumber: null,
        telnyxOrderId: null,
        telnyxNumberId: null,
        metaPhoneNumberId: null,
        metaVerificationStatus: null,
        provisionedAt: null,
        givenBackPhoneNumbers: [...number.givenBackPhoneNumbers, phoneNumber],
      },
    });
    this.logger.warn({ numberId: number.id, phoneNumber, conflict, applied: result.applied }, 'WhatsApp registration conflicts: number given back, another ordered');
    return { codeRequested: false, reason: `${conflict}: given back, another number ordered` };
  }

  private async carrierNumberId(numberId: string, phoneNumber: string): Promise<string> {
    const held = await this.carrier.findNumberByPhoneNumber(phoneNumber);
    // The order says fulfilled but the number is not listed yet: try again shortly.
    if (!held) throw new Error(`number ${numberId}: ${phoneNumber} is not on the carrier account yet`);
    return held.id;
  }
}
