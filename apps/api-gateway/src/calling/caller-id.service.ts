import { Inject, Injectable, Logger } from '@nestjs/common';
import { DomainError, invalidParam, notFound } from '@numbers/domain';
import { PhoneNumberRecords } from '@numbers/persistence';
import { CARRIER_GATEWAY, ProviderError, type CallerIdVerificationMethod, type CarrierGateway } from '@numbers/providers';

export interface StartCallerIdAnswer {
  verified: boolean;
  codeSent: boolean;
  method: CallerIdVerificationMethod;
}

/**
 * Caller-ID verification of a number (`POST /v1/phone-numbers/{id}/whatsapp/caller-id-verification`
 * and `.../verify`): the carrier's verified-numbers list is the record, so nothing is stored here.
 * Start sends a code to the number by SMS or call (each start sends a new one), unless the carrier
 * has it verified already; verify submits the code. The carrier failing is 503 CARRIER_UNAVAILABLE.
 */
@Injectable()
export class CallerIdService {
  private readonly logger = new Logger('CallerIdService');

  constructor(
    private readonly numbers: PhoneNumberRecords,
    @Inject(CARRIER_GATEWAY) private readonly carrier: CarrierGateway,
  ) {}

  async start(accountId: string, numberId: string, method: CallerIdVerificationMethod, requestId: string): Promise<StartCallerIdAnswer> {
    const phoneNumber = await this.phoneNumberOf(accountId, numberId);
    return this.atCarrier(requestId, async () => {
      if ((await this.carrier.getVerifiedNumber(phoneNumber))?.verifiedAt) return { verified: true, codeSent: false, method };
      await this.carrier.startNumberVerification(phoneNumber, method);
      return { verified: false, codeSent: true, method };
    });
  }

  async verify(accountId: string, numberId: string, code: string, requestId: string): Promise<{ verified: true }> {
    const phoneNumber = await this.phoneNumberOf(accountId, numberId);
    const check = await this.atCarrier(requestId, async () =>
      (await this.carrier.getVerifiedNumber(phoneNumber))?.verifiedAt ? { verified: true as const, verifiedAt: null } : this.carrier.submitVerificationCode(phoneNumber, code),
    );
    if (!check.verified) throw invalidParam('code', 'code is wrong, expired or already used: ask for a new one (POST .../caller-id-verification)');
    return { verified: true };
  }

  /** The number's E.164: it must be the account's (else 404) and active, so that it can receive the code. */
  private async phoneNumberOf(accountId: string, numberId: string): Promise<string> {
    const number = await this.numbers.byId(numberId);
    if (!number || number.accountId !== accountId) throw notFound('Phone number');
    if (number.status !== 'active' || !number.phoneNumber) {
      throw new DomainError('NUMBER_NOT_ACTIVE', `Caller ID can be verified on an active number only; this one is ${number.status}`);
    }
    return number.phoneNumber;
  }

  private async atCarrier<T>(requestId: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      this.logger.error({ reqId: requestId, err: error }, 'Carrier caller-ID verification failed');
      throw new DomainError('CARRIER_UNAVAILABLE', 'The carrier is unavailable right now; retry later');
    }
  }
}
