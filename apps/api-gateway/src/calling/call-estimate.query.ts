import { Injectable } from '@nestjs/common';
import { countryOfE164, estimateCall, notFound, type CallEstimate } from '@numbers/domain';
import { CallRateRepository, PhoneNumberRecords } from '@numbers/persistence';
import type { CallEstimateParams } from './call-estimate.params';

/** The SDK's `GetWhatsAppCallEstimateResponse`. */
export type CallEstimateView = { destinationCountry: string | null } & CallEstimate;

/**
 * `GET /v1/whatsapp/calls/estimate`: what a business-initiated call from the number to `to`
 * would cost, from the reference rates of the consumer's country (`call_rates`; a country
 * without its own row, or a number whose country is not known, gets the `OTHER` rates and
 * `destinationCountry: null` when unknown). The calling number must be the account's (else 404).
 */
@Injectable()
export class CallEstimateQuery {
  constructor(
    private readonly numbers: PhoneNumberRecords,
    private readonly rates: CallRateRepository,
  ) {}

  async execute(accountId: string, query: CallEstimateParams): Promise<CallEstimateView> {
    const number = await this.numbers.byId(query.accountId);
    if (!number || number.accountId !== accountId) throw notFound('Phone number');
    const country = countryOfE164(query.to);
    const rates = await this.rates.forDestination(country);
    // The reference data is a migration's: its absence is our fault, not the caller's.
    if (!rates) throw new Error(`No call rates for ${country ?? 'OTHER'} (call_rates is not seeded)`);
    return { destinationCountry: country ?? null, ...estimateCall(rates, { minutes: query.minutes, recording: query.recording }) };
  }
}
