import { Inject, Injectable, Logger } from '@nestjs/common';
import { DomainError, invalidParam } from '@numbers/domain';
import { PurchaseRepository, type PurchaseCountry } from '@numbers/persistence';
import { CARRIER_GATEWAY, ProviderError, type AvailableNumber, type AvailableNumberSearch, type CarrierGateway } from '@numbers/providers';

/**
 * The carrier's inventory as the public API reads it: countries we sell in (an unknown one is a
 * 400 naming the param) and the carrier's search, whose failures are 503 CARRIER_UNAVAILABLE
 * (logged with the request id: the fault is ours, never the caller's).
 */
@Injectable()
export class CarrierInventory {
  private readonly logger = new Logger('CarrierInventory');

  constructor(
    @Inject(CARRIER_GATEWAY) private readonly carrier: CarrierGateway,
    private readonly purchases: PurchaseRepository,
  ) {}

  async country(code: string, param = 'country'): Promise<PurchaseCountry> {
    const country = await this.purchases.findCountry(code);
    if (!country) throw invalidParam(param, `Invalid ${param}: we do not sell numbers in ${code} (see GET /v1/whatsapp/phone-numbers/countries)`);
    return country;
  }

  async search(search: AvailableNumberSearch, requestId: string): Promise<AvailableNumber[]> {
    try {
      return await this.carrier.searchAvailableNumbers(search);
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      this.logger.error({ reqId: requestId, err: error, search }, 'Carrier inventory search failed');
      throw new DomainError('CARRIER_UNAVAILABLE', 'The carrier is unavailable right now; retry later');
    }
  }
}
