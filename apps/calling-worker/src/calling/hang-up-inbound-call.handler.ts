import { Inject } from '@nestjs/common';
import type { JobPayloads } from '@numbers/contracts';
import { callCommandId, isFinalCallStatus } from '@numbers/domain';
import { GiveUpError, JobHandler, type HandlesJob } from '@numbers/messaging';
import { CallRepository } from '@numbers/persistence';
import { CARRIER_GATEWAY, type CarrierGateway } from '@numbers/providers';

/**
 * Hangs up the consumer's leg of a call whose forward leg ended: the carrier keeps the consumer's
 * leg up when a transfer fails, and the consumer would hear silence. One command id per call, so
 * a second run sends nothing new; a leg that ended already (the bridge ended both) is left alone.
 */
@JobHandler('hang-up-inbound-call')
export class HangUpInboundCallHandler implements HandlesJob<'hang-up-inbound-call'> {
  constructor(
    private readonly calls: CallRepository,
    @Inject(CARRIER_GATEWAY) private readonly carrier: CarrierGateway,
  ) {}

  async handle({ callId }: JobPayloads['hang-up-inbound-call']): Promise<{ hungUp: boolean; reason?: string }> {
    const call = await this.calls.findToAnswer(callId);
    if (!call?.telnyxCallControlId) throw new GiveUpError(`inbound call ${callId} does not exist`);
    if (isFinalCallStatus(call.status)) return { hungUp: false, reason: `call is ${call.status}` };
    const outcome = await this.carrier.hangupCall(call.telnyxCallControlId, callCommandId('hangup', callId));
    return outcome === 'done' ? { hungUp: true } : { hungUp: false, reason: 'the call had ended at the carrier' };
  }
}
