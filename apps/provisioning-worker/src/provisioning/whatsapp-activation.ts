import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import { NumberLifecycle, type TransitionContext, type TransitionResult, type Tx } from '@numbers/persistence';
import { WHATSAPP_GATEWAY, type WhatsAppGateway } from '@numbers/providers';
import { twoStepPin } from './two-step-pin';

/** What Meta says while the activation code is out: requested, not verified yet. */
export const CODE_REQUESTED = 'NOT_VERIFIED';
export const VERIFIED = 'VERIFIED';

/**
 * The end of WhatsApp registration: submit the activation code (when there is one to submit),
 * register the number for the Cloud API with its two-step PIN, and apply `whatsapp_verified`
 * (→ active). Each Meta call is safe again: the same code verifies again after success, and
 * the PIN is derived from the number id, so a second `register` sends the same one.
 */
@Injectable()
export class WhatsAppActivation {
  private readonly logger = new Logger(WhatsAppActivation.name);

  constructor(
    private readonly config: AppConfig,
    private readonly lifecycle: NumberLifecycle,
    @Inject(WHATSAPP_GATEWAY) private readonly whatsapp: WhatsAppGateway,
  ) {}

  async complete(
    number: { id: string; metaPhoneNumberId: string },
    code: string | null,
    context: Pick<TransitionContext, 'cause' | 'actor'>,
    tx?: Tx,
  ): Promise<TransitionResult> {
    if (code !== null) await this.whatsapp.verifyCode(number.metaPhoneNumberId, code);
    await this.whatsapp.register(number.metaPhoneNumberId, twoStepPin(this.config.sipCredentialsKey, number.id));
    const result = await this.lifecycle.apply(number.id, 'whatsapp_verified', { ...context, patch: { metaVerificationStatus: VERIFIED } }, tx);
    this.logger.log({ numberId: number.id, metaPhoneNumberId: number.metaPhoneNumberId, applied: result.applied }, 'number registered on WhatsApp');
    return result;
  }
}
