import { Inject, Logger } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import type { JobPayloads } from '@numbers/contracts';
import { callClientState, whatsappSipUri } from '@numbers/domain';
import { GiveUpError, JobHandler, type HandlesJob, type JobContext } from '@numbers/messaging';
import { CallRepository, SealedSecretRepository, SipCredentialSealer } from '@numbers/persistence';
import { CARRIER_GATEWAY, ProviderError, type CarrierGateway } from '@numbers/providers';

export type PlaceCallOutcome = { dialed: true; callControlId: string } | { dialed: false; reason: string };

/**
 * Has the carrier originate an accepted call: a SIP leg to `sip:+<to>@wa.meta.vc;transport=tls`
 * (TLS, 5061) from the business number, authenticated with the digest credentials Meta issued
 * when calling was enabled, carrying our call id as `client_state` (so the call webhooks find
 * the call even before its control id is stored). A second run dials with the same command id
 * and idempotency key, which the carrier answers with the same call; a call already past
 * `dialing` is not dialed. A number that can no longer call, or a dial the carrier refuses, fails
 * the call.
 */
@JobHandler('place-call')
export class PlaceCallHandler implements HandlesJob<'place-call'> {
  private readonly logger = new Logger(PlaceCallHandler.name);

  constructor(
    private readonly calls: CallRepository,
    private readonly sealer: SipCredentialSealer,
    private readonly secrets: SealedSecretRepository,
    private readonly config: AppConfig,
    @Inject(CARRIER_GATEWAY) private readonly carrier: CarrierGateway,
  ) {}

  async handle({ callId }: JobPayloads['place-call'], ctx: JobContext): Promise<PlaceCallOutcome> {
    const call = await this.calls.findToDial(callId);
    if (!call) throw new GiveUpError(`call ${callId} does not exist`);
    if (call.status !== 'dialing' || call.telnyxCallControlId) return { dialed: false, reason: `call is ${call.status} already` };

    const { phoneNumber: from, sipUsername, sipPasswordSealed } = call;
    if (call.numberStatus !== 'active' || call.callingStatus !== 'enabled' || !sipPasswordSealed || !sipUsername || !from) {
      const reason = `number ${call.numberId} cannot call now (${call.numberStatus}, calling ${call.callingStatus})`;
      await this.fail(callId, 'calling_unavailable');
      return { dialed: false, reason };
    }

    // Under a retired key, the password is sealed again under the current one as it is used.
    const sipPassword = await this.sealer.openAndRefresh(sipPasswordSealed, call.numberId, (resealed) =>
      this.secrets.replace('sip-password', call.numberId, sipPasswordSealed, resealed),
    );
    let callControlId: string;
    try {
      ({ callControlId } = await this.carrier.dialWhatsAppCall(
        {
          connectionId: this.config.calling.callControlAppId,
          from,
          sipUri: whatsappSipUri(call.to),
          sipUsername,
          sipPassword,
          clientState: callClientState(callId),
          commandId: callId,
          timeoutSecs: this.config.calling.ringTimeoutSeconds,
          record: call.recordingEnabled,
        },
        `place-call-${callId}`,
      ));
    } catch (error) {
      const permanent = error instanceof ProviderError && !error.retryable;
      if (!permanent && ctx.attempt < ctx.maxAttempts) throw error;
      const cause = error instanceof ProviderError ? `dial_failed:${error.code}` : 'dial_failed';
      await this.fail(callId, cause);
      this.logger.warn({ callId, jobId: ctx.jobId, cause }, 'the carrier did not place the call');
      if (permanent) return { dialed: false, reason: cause };
      throw error;
    }
    await this.calls.setControlId(callId, callControlId);
    return { dialed: true, callControlId };
  }

  /** The call ends failed; the carrier sends no webhook for a call it never placed. */
  private fail(callId: string, cause: string): Promise<void> {
    return this.calls.applyEvent(callId, { type: 'dial_failed', at: new Date(), cause });
  }
}
