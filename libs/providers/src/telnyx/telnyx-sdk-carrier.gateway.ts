import type Telnyx from 'telnyx';
import type { CarrierGateway, CarrierNumber, ReleaseResult } from '../ports/carrier.gateway';
import { ProviderError } from '../provider-error';
import { requireIdempotencyKey } from '../require-idempotency-key';
import { fromTelnyxError } from './telnyx-error.mapper';

/**
 * `CarrierGateway` over the official `telnyx` SDK. The SDK has no idempotency option of its
 * own (its `idempotencyKey` request option is ignored: no idempotency header is configured),
 * so the key is sent as an `Idempotency-Key` header through the request options.
 */
export class TelnyxSdkCarrierGateway implements CarrierGateway {
  constructor(private readonly telnyx: Telnyx) {}

  async getNumber(telnyxNumberId: string): Promise<CarrierNumber | null> {
    try {
      const { data } = await this.telnyx.phoneNumbers.retrieve(telnyxNumberId);
      if (!data) return null;
      return { id: data.id, phoneNumber: data.phone_number, status: data.status, country: data.country_iso_alpha2 };
    } catch (error) {
      const mapped = fromTelnyxError(error, 'phoneNumbers.retrieve');
      if (mapped instanceof ProviderError && mapped.status === 404) return null;
      throw mapped;
    }
  }

  async releaseNumber(telnyxNumberId: string, idempotencyKey: string): Promise<ReleaseResult> {
    const key = requireIdempotencyKey(idempotencyKey, 'telnyx phoneNumbers.delete');
    try {
      await this.telnyx.phoneNumbers.delete(telnyxNumberId, { headers: { 'Idempotency-Key': key } });
      return { released: true, alreadyGone: false };
    } catch (error) {
      const mapped = fromTelnyxError(error, 'phoneNumbers.delete');
      if (mapped instanceof ProviderError && mapped.status === 404) return { released: true, alreadyGone: true };
      throw mapped;
    }
  }
}
