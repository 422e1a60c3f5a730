import type { FastifyInstance } from 'fastify';
import qs from 'qs';
import type { StripeStore } from '../state/stripe.store';
import { invalidRequest, parameterInvalid, parameterMissing, resourceMissing } from './stripe-errors';
import { toPriceObject } from './stripe-objects.mapper';
import { asParams, optionalBoolean, optionalInteger, optionalMetadata, optionalString, requiredString, withoutEmptyValues, type StripeParams } from './stripe-params';

/**
 * `POST /v1/prices` (monthly, per unit: `currency`, `unit_amount`, `recurring[interval]=month`,
 * `product_data[name]`, `lookup_key`, `transfer_lookup_key`, `metadata`), `GET /v1/prices/:id`,
 * `GET /v1/prices?lookup_keys[]=&limit=`. As Stripe, a lookup key names at most one price: creating
 * another price with a taken key is a 400 unless `transfer_lookup_key=true` moves it.
 */
export function registerStripePriceRoutes(app: FastifyInstance, store: StripeStore): void {
  app.post('/prices', async (request) => {
    const params = asParams(request.body);
    const currency = requiredString(params, 'currency').toLowerCase();
    const unitAmount = optionalInteger(params, 'unit_amount');
    if (unitAmount === undefined) throw parameterMissing('unit_amount');
    const recurring = params['recurring'] as StripeParams | undefined;
    const interval = recurring && typeof recurring === 'object' ? optionalString(recurring, 'interval', 'recurring[interval]') : undefined;
    if (interval !== 'month') throw parameterInvalid('recurring[interval]', 'The simulator only has monthly prices: recurring[interval] must be month.', 'parameter_invalid');
    const productData = params['product_data'] as StripeParams | undefined;
    const productName = productData && typeof productData === 'object' ? optionalString(productData, 'name', 'product_data[name]') : undefined;
    if (!productName && !optionalString(params, 'product')) throw parameterMissing('product_data[name]');
    const lookupKey = optionalString(params, 'lookup_key') ?? null;
    const transfer = optionalBoolean(params, 'transfer_lookup_key') ?? false;
    const holder = lookupKey ? store.priceByLookupKey(lookupKey) : undefined;
    if (holder && !transfer) {
      throw invalidRequest(`A price (\`${holder.id}\`) already uses that lookup key.`, 'lookup_key', 'lookup_key_already_exists');
    }
    if (holder) holder.lookupKey = null;
    const price = store.createPrice({
      unitAmount,
      currency,
      productName: productName ?? 'Phone number',
      lookupKey,
      metadata: withoutEmptyValues(optionalMetadata(params) ?? {}),
    });
    return toPriceObject(price);
  });

  app.get<{ Params: { id: string } }>('/prices/:id', async (request) => {
    const price = store.getPrice(request.params.id);
    if (!price) throw resourceMissing('price', request.params.id);
    return toPriceObject(price);
  });

  app.get('/prices', async (request) => {
    // Nested query keys (`lookup_keys[0]=`, `lookup_keys[]=`) as Stripe reads them.
    const query = qs.parse(request.url.split('?')[1] ?? '') as StripeParams;
    const limit = optionalInteger(query, 'limit', 'limit', 1) ?? 10;
    if (limit > 100) throw invalidRequest('Invalid integer: limit must be between 1 and 100.', 'limit');
    const raw = query['lookup_keys'];
    const keys = raw === undefined ? undefined : (Array.isArray(raw) ? raw : typeof raw === 'object' && raw !== null ? Object.values(raw) : [raw]).map(String);
    const found = keys ? keys.flatMap((key) => store.priceByLookupKey(key) ?? []) : store.listPrices();
    return { object: 'list', data: found.slice(0, limit).map(toPriceObject), has_more: found.length > limit, url: '/v1/prices' };
  });
}
