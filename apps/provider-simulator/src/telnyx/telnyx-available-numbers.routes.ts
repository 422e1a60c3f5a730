import type { FastifyInstance } from 'fastify';
import type { SimulatorContext } from '../simulator.context';
import type { InventoryNumber } from '../state/telnyx-inventory';
import { ProviderReplyError } from '../shared/provider-reply';
import { telnyxError } from './telnyx-errors';
import { queryString, telnyxQuery } from './telnyx-query';

const NUMBER_TYPES = ['local', 'toll_free', 'mobile', 'national', 'shared_cost'];

/**
 * `GET /v2/available_phone_numbers?filter[country_code]=&filter[national_destination_code]=
 * &filter[phone_number][contains|starts_with|ends_with]=&filter[locality]=&filter[administrative_area]=
 * &filter[phone_number_type]=&filter[features]=sms,voice&filter[limit]=` over the generated
 * inventory; `filter[contains]` (older docs) is read too. Taken and reserved numbers are left out.
 */
export function registerTelnyxAvailableNumberRoutes(app: FastifyInstance, { state, services }: SimulatorContext): void {
  app.get('/available_phone_numbers', async (request) => {
    const query = telnyxQuery(request);
    const filter = (name: string, ...rest: string[]) => queryString(query, 'filter', name, ...rest);
    const numberType = filter('phone_number_type');
    if (numberType && !NUMBER_TYPES.includes(numberType)) throw invalidFilter('phone_number_type', `must be one of ${NUMBER_TYPES.join(', ')}`);
    const limitText = filter('limit');
    const limit = limitText === undefined ? 20 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalidFilter('limit', 'must be an integer from 1 to 100');
    const { numbers, total } = state.telnyxInventory.search(
      {
        country: (filter('country_code') ?? 'US').toUpperCase(),
        ndc: filter('national_destination_code'),
        contains: filter('phone_number', 'contains') ?? filter('contains'),
        startsWith: filter('phone_number', 'starts_with') ?? filter('starts_with'),
        endsWith: filter('phone_number', 'ends_with') ?? filter('ends_with'),
        locality: filter('locality'),
        administrativeArea: filter('administrative_area'),
        numberType,
        features: filter('features')?.split(',').map((feature) => feature.trim()),
        limit,
      },
      (phoneNumber) => services.numberOrders.isTaken(phoneNumber),
    );
    const meta = { total_results: total, best_effort_results: 0 };
    return { data: numbers.map(toAvailableNumber), meta, metadata: meta };
  });
}

function toAvailableNumber(number: InventoryNumber): Record<string, unknown> {
  return {
    record_type: 'available_phone_number',
    phone_number: number.phoneNumber,
    vanity_format: '',
    best_effort: false,
    quickship: number.numberType !== 'toll_free',
    reservable: true,
    region_information: [
      { region_type: 'country_code', region_name: number.countryCode },
      { region_type: 'rate_center', region_name: number.locality.toUpperCase() },
      ...(number.administrativeArea ? [{ region_type: 'state', region_name: number.administrativeArea }] : []),
      { region_type: 'location', region_name: number.locality },
    ],
    cost_information: { upfront_cost: number.upfrontCost, monthly_cost: number.monthlyCost, currency: 'USD' },
    features: number.features.map((name) => ({ name })),
  };
}

function invalidFilter(name: string, detail: string): ProviderReplyError {
  return new ProviderReplyError(telnyxError(400, '10015', 'Invalid filter', `filter[${name}] ${detail}.`));
}
