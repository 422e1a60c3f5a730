import { Inject, Logger } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import type { JobPayloads } from '@numbers/contracts';
import { callingStep, WHATSAPP_SIP_TLS_PORT, whatsappSipUsername } from '@numbers/domain';
import { GiveUpError, JobHandler, type HandlesJob, type JobContext } from '@numbers/messaging';
import { CallingSettingsRepository, callingStatusOf, PhoneNumberRecords, SipCredentialSealer, type CallingSettlement, type PhoneNumber } from '@numbers/persistence';
import { CARRIER_GATEWAY, ProviderError, WHATSAPP_GATEWAY, type CarrierGateway, type WhatsAppGateway } from '@numbers/providers';

export type SyncCallingOutcome = { status: 'enabled' | 'disabled' | 'failed'; detail?: string } | { status: 'unchanged'; detail: string };

/** A number that cannot take calling (not active, not on WhatsApp or at the carrier): no retry helps. */
class CallingPrecondition extends Error {
  readonly retryable = false;
}

/** How many times the wish may change under one run before the job lets BullMQ try again. */
const MAX_ROUNDS = 3;

/**
 * Carries out a number's calling wish (`calling_enabled`). On: Meta's calling settings with SIP
 * pointing at the carrier's SIP host (TLS, 5061), Meta's SIP digest password read back and sealed,
 * and the number routed to the calling application at the carrier. Off: both reversed, the
 * credentials dropped. Every step is idempotent, so a retry or a second run repeats harmlessly;
 * the result is recorded only for the generation read (a newer wish is acted on instead). A
 * provider's refusal, or a number that cannot call, leaves the number `failed` with the reason.
 */
@JobHandler('sync-whatsapp-calling')
export class SyncWhatsAppCallingHandler implements HandlesJob<'sync-whatsapp-calling'> {
  private readonly logger = new Logger(SyncWhatsAppCallingHandler.name);

  constructor(
    private readonly settings: CallingSettingsRepository,
    private readonly numbers: PhoneNumberRecords,
    private readonly sealer: SipCredentialSealer,
    private readonly config: AppConfig,
    @Inject(WHATSAPP_GATEWAY) private readonly whatsapp: WhatsAppGateway,
    @Inject(CARRIER_GATEWAY) private readonly carrier: CarrierGateway,
  ) {}

  async handle({ numberId }: JobPayloads['sync-whatsapp-calling'], ctx: JobContext): Promise<SyncCallingOutcome> {
    for (let round = 1; round <= MAX_ROUNDS; round++) {
      const number = await this.numbers.byId(numberId);
      if (!number) throw new GiveUpError(`number ${numberId} does not exist`);
      const step = callingStep(number.callingEnabled, callingStatusOf(number));
      if (step === 'none') return { status: 'unchanged', detail: `calling is ${number.callingStatus}` };

      let settlement: CallingSettlement;
      try {
        settlement = step === 'enable' ? await this.enable(number) : await this.disable(number);
      } catch (error) {
        const permanent = (error as { retryable?: unknown }).retryable === false;
        if (!permanent && ctx.attempt < ctx.maxAttempts) throw error;
        const detail = error instanceof Error ? error.message : String(error);
        await this.settings.settle(numberId, number.callingGeneration, { callingStatus: 'failed', callingDetail: detail.slice(0, 500) });
        this.logger.warn({ numberId, step, jobId: ctx.jobId, detail }, 'calling could not be changed');
        if (permanent) return { status: 'failed', detail };
        throw error;
      }
      if (await this.settings.settle(numberId, number.callingGeneration, settlement)) {
        this.logger.log({ numberId, status: settlement.callingStatus, jobId: ctx.jobId }, 'calling settled');
        return { status: settlement.callingStatus as 'enabled' | 'disabled' };
      }
      // The customer changed their mind while we were at it: act on the new wish.
    }
    throw new Error(`the calling wish of number ${numberId} kept changing: try again`);
  }

  private async enable(number: PhoneNumber): Promise<CallingSettlement> {
    if (number.status !== 'active') throw new CallingPrecondition(`number is ${number.status}: only an active number can call`);
    if (!number.metaPhoneNumberId || !number.phoneNumber) throw new CallingPrecondition('number is not registered on WhatsApp');
    if (!number.telnyxNumberId) throw new CallingPrecondition('number is not held at the carrier');
    const sipServer = { hostname: this.config.calling.sipHostname, port: WHATSAPP_SIP_TLS_PORT };
    await this.whatsapp.updateCallingSettings(number.metaPhoneNumberId, { enabled: true, sipServer });
    const password = await this.whatsapp.getSipPassword(number.metaPhoneNumberId);
    if (!password) throw new Error('Meta has not issued SIP credentials for the number yet');
    await this.carrier.setNumberConnection(number.telnyxNumberId, this.config.calling.callControlAppId, `calling-on-${number.id}-${number.callingGeneration}`);
    return {
      callingStatus: 'enabled',
      callingDetail: null,
      sipUsername: whatsappSipUsername(number.phoneNumber),
      sipPasswordSealed: this.sealer.seal(password, number.id),
    };
  }

  private async disable(number: PhoneNumber): Promise<CallingSettlement> {
    if (number.metaPhoneNumberId) {
      await this.tolerateGone(() => this.whatsapp.updateCallingSettings(number.metaPhoneNumberId as string, { enabled: false }));
    }
    if (number.telnyxNumberId) {
      const key = `calling-off-${number.id}-${number.callingGeneration}`;
      await this.tolerateGone(() => this.carrier.setNumberConnection(number.telnyxNumberId as string, this.config.telnyx.connectionId, key));
    }
    return { callingStatus: 'disabled', callingDetail: null, sipUsername: null, sipPasswordSealed: null };
  }

  /** Turning calling off a number the provider no longer has (released meanwhile) is done. */
  private async tolerateGone(step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (error) {
      const gone = error instanceof ProviderError && (error.status === 404 || error.code === '100.33');
      if (!gone) throw error;
      this.logger.log({ operation: error.operation, code: error.code }, 'calling off: the provider no longer has the number');
    }
  }
}
