import { Inject, Injectable, Logger } from '@nestjs/common';
import { DomainError, notFound } from '@numbers/domain';
import { CallRepository } from '@numbers/persistence';
import { CARRIER_GATEWAY, ProviderError, type CarrierGateway } from '@numbers/providers';

/**
 * A call's recording as the customer fetches it: the carrier's download URL is signed and
 * short-lived, so a fresh one is asked for on each request (never stored). Another account's
 * call, a call of another number than `accountId`, or a call without a recording: 404. The
 * carrier out of reach: 503 CARRIER_UNAVAILABLE.
 */
@Injectable()
export class CallRecordingQuery {
  private readonly logger = new Logger('CallRecordingQuery');

  constructor(
    private readonly calls: CallRepository,
    @Inject(CARRIER_GATEWAY) private readonly carrier: CarrierGateway,
  ) {}

  async urlOf(accountId: string, callId: string, numberId: string, requestId: string): Promise<string> {
    const call = await this.calls.findForAccount(accountId, callId);
    if (!call || call.numberId !== numberId) throw notFound('Call');
    if (!call.recordingId) throw notFound('Recording');
    let link;
    try {
      link = await this.carrier.getRecordingLink(call.recordingId);
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      this.logger.error({ reqId: requestId, err: error, callId }, 'The carrier did not give the recording');
      throw new DomainError('CARRIER_UNAVAILABLE', 'The carrier is unavailable right now; retry later');
    }
    if (!link) throw notFound('Recording');
    return link.url;
  }
}
