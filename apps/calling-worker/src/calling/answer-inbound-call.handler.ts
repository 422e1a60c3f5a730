import { Inject, Logger } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import type { JobPayloads } from '@numbers/contracts';
import { callClientState, callCommandId, forwardLegClientState, inboundCallStep } from '@numbers/domain';
import { GiveUpError, JobHandler, type HandlesJob } from '@numbers/messaging';
import { CallRepository } from '@numbers/persistence';
import { CARRIER_GATEWAY, type CarrierGateway } from '@numbers/providers';

export type AnswerInboundCallOutcome = { answered: true; bridgedTo: string } | { answered: false; reason: string };

/**
 * Answers a consumer's call at the carrier and bridges it to the number's `forwardTo`, as
 * `inboundCallStep` decides from today's call and number: answer the carrier's leg (our call id
 * as its `client_state`, so its later webhooks find the call; recording from the answer when the
 * number records calls; a `ws(s)://` voice agent gets the call's audio streamed), then transfer it
 * to a phone number or SIP URI (the business number as caller id; the new leg's `client_state`
 * marks it as the forward leg). A number that cannot take the call has it rejected. Every command
 * carries a command id of its own, so a second run repeats nothing at the carrier; a command on a
 * call that ended meanwhile does nothing (its hang-up webhook ends the call).
 */
@JobHandler('answer-inbound-call')
export class AnswerInboundCallHandler implements HandlesJob<'answer-inbound-call'> {
  private readonly logger = new Logger(AnswerInboundCallHandler.name);

  constructor(
    private readonly calls: CallRepository,
    private readonly config: AppConfig,
    @Inject(CARRIER_GATEWAY) private readonly carrier: CarrierGateway,
  ) {}

  async handle({ callId }: JobPayloads['answer-inbound-call']): Promise<AnswerInboundCallOutcome> {
    const call = await this.calls.findToAnswer(callId);
    if (!call?.telnyxCallControlId) throw new GiveUpError(`inbound call ${callId} does not exist`);
    const callControlId = call.telnyxCallControlId;
    const step = inboundCallStep(call, { status: call.numberStatus, callingStatus: call.callingStatus, forwardTo: call.forwardTo });
    switch (step.step) {
      case 'none':
        return { answered: false, reason: step.reason };
      case 'reject':
      case 'hangup': {
        const outcome =
          step.step === 'reject'
            ? await this.carrier.rejectCall(callControlId, callCommandId('reject', callId))
            : await this.carrier.hangupCall(callControlId, callCommandId('hangup', callId));
        this.logger.warn({ callId, reason: step.reason, outcome }, 'a consumer call the number cannot take was refused');
        return { answered: false, reason: step.reason };
      }
    }
    const { target } = step;
    const answered = await this.carrier.answerCall({
      callControlId,
      clientState: callClientState(callId),
      commandId: callCommandId('answer', callId),
      record: call.recordingEnabled,
      streamUrl: target.kind === 'stream' ? target.url : null,
    });
    if (answered === 'call_ended') return { answered: false, reason: 'the consumer hung up before the answer' };
    if (target.kind === 'stream') return { answered: true, bridgedTo: target.url };

    const transferred = await this.carrier.transferCall({
      callControlId,
      to: target.to,
      from: call.fromNumber,
      targetLegClientState: forwardLegClientState(callId),
      commandId: callCommandId('transfer', callId),
      timeoutSecs: this.config.calling.ringTimeoutSeconds,
    });
    if (transferred === 'call_ended') return { answered: false, reason: 'the consumer hung up before the bridge' };
    return { answered: true, bridgedTo: target.to };
  }
}
