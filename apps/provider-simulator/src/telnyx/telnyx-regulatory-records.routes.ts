import type { FastifyInstance } from 'fastify';
import { ProviderReplyError } from '../shared/provider-reply';
import type { SimulatorContext } from '../simulator.context';
import { telnyxError, telnyxNotFound } from './telnyx-errors';
import { paginate } from './telnyx-pagination';
import { queryString, telnyxQuery } from './telnyx-query';
import { toAddressObject, toDocumentObject, toRequirementObject, toRequirementTypeObject } from './telnyx-regulatory-records.mapper';

type ById = { Params: { id: string } };

/** Base64 of up to 20 MB: Telnyx's document service takes files this large. */
const DOCUMENT_BODY_LIMIT = 28 * 1024 * 1024;

/**
 * What a requirement group references, in Telnyx's wire format:
 * - the catalog: `GET /v2/requirements?filter[country_code|phone_number_type|action]` (paged),
 *   `GET /v2/requirements/:id`, `GET /v2/requirement_types?filter[name][contains]`,
 *   `GET /v2/requirement_types/:id`;
 * - addresses: `POST /v2/addresses`, `GET /v2/addresses?filter[customer_reference][eq]` (paged),
 *   `GET /v2/addresses/:id`;
 * - documents: `POST /v2/documents` (JSON: `file` as base64, `filename`, `customer_reference`),
 *   `GET /v2/documents?filter[customer_reference][eq]` (paged), `GET /v2/documents/:id`.
 */
export function registerTelnyxRegulatoryRecordRoutes(app: FastifyInstance, { state }: SimulatorContext): void {
  const records = state.telnyxRegulatoryRecords;

  app.get('/requirements', async (request) => {
    const query = telnyxQuery(request);
    const requirements = records.requirements({
      countryCode: queryString(query, 'filter', 'country_code')?.toUpperCase(),
      phoneNumberType: queryString(query, 'filter', 'phone_number_type'),
      action: queryString(query, 'filter', 'action'),
    });
    return paginate(requirements.map(toRequirementObject), query);
  });

  app.get<ById>('/requirements/:id', async (request) => {
    const requirement = records.requirement(request.params.id);
    if (!requirement) throw telnyxNotFound();
    return { data: toRequirementObject(requirement) };
  });

  app.get('/requirement_types', async (request) => {
    const query = telnyxQuery(request);
    const contains = queryString(query, 'filter', 'name', 'contains')?.toLowerCase();
    const types = records.requirementTypes().filter((type) => contains === undefined || type.name.toLowerCase().includes(contains));
    return { data: types.map(toRequirementTypeObject), meta: { page_number: 1, page_size: types.length, total_pages: 1, total_results: types.length } };
  });

  app.get<ById>('/requirement_types/:id', async (request) => {
    const type = records.requirementType(request.params.id);
    if (!type) throw telnyxNotFound();
    return { data: toRequirementTypeObject(type) };
  });

  app.post('/addresses', async (request) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const text = (key: string) => (typeof body[key] === 'string' && (body[key] as string).trim() !== '' ? (body[key] as string) : null);
    const street = text('street_address');
    const locality = text('locality');
    const country = text('country_code');
    if (!street) throw invalid('street_address', 'street_address is required.');
    if (!locality) throw invalid('locality', 'locality is required.');
    if (!country || !/^[A-Za-z]{2}$/.test(country)) throw invalid('country_code', 'country_code must be an ISO 3166-1 alpha-2 code.');
    if (!text('business_name') && !(text('first_name') && text('last_name'))) {
      throw invalid('business_name', 'An address must have either a first and last name or a business name.');
    }
    const address = records.createAddress({
      customerReference: text('customer_reference'),
      businessName: text('business_name'),
      firstName: text('first_name'),
      lastName: text('last_name'),
      streetAddress: street,
      extendedAddress: text('extended_address'),
      locality,
      administrativeArea: text('administrative_area'),
      postalCode: text('postal_code'),
      countryCode: country.toUpperCase(),
    });
    return { data: toAddressObject(address) };
  });

  app.get('/addresses', async (request) => {
    const query = telnyxQuery(request);
    const customerReference = queryString(query, 'filter', 'customer_reference', 'eq') ?? queryString(query, 'filter', 'customer_reference');
    return paginate(records.listAddresses({ customerReference }).map(toAddressObject), query);
  });

  app.get<ById>('/addresses/:id', async (request) => {
    const address = records.address(request.params.id);
    if (!address) throw telnyxNotFound();
    return { data: toAddressObject(address) };
  });

  app.post('/documents', { bodyLimit: DOCUMENT_BODY_LIMIT }, async (request) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (typeof body.url === 'string' && body.file === undefined) {
      throw invalid('url', 'The simulator cannot fetch a URL: send the file as base64 in `file`.');
    }
    if (typeof body.file !== 'string' || body.file === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(body.file)) {
      throw invalid('file', 'file must be the Base64 encoded contents of the document.');
    }
    const document = records.createDocument({
      customerReference: typeof body.customer_reference === 'string' && body.customer_reference !== '' ? body.customer_reference : null,
      filename: typeof body.filename === 'string' && body.filename !== '' ? body.filename : null,
      content: Buffer.from(body.file, 'base64'),
    });
    return { data: toDocumentObject(document) };
  });

  app.get('/documents', async (request) => {
    const query = telnyxQuery(request);
    const customerReference = queryString(query, 'filter', 'customer_reference', 'eq');
    return paginate(records.listDocuments({ customerReference }).reverse().map(toDocumentObject), query);
  });

  app.get<ById>('/documents/:id', async (request) => {
    const document = records.document(request.params.id);
    if (!document) throw telnyxNotFound();
    return { data: toDocumentObject(document) };
  });
}

function invalid(pointer: string, detail: string): ProviderReplyError {
  const reply = telnyxError(422, '10015', 'Invalid value for parameter', detail);
  (reply.body as { errors: Record<string, unknown>[] }).errors[0].source = { pointer: `/${pointer}` };
  return new ProviderReplyError(reply);
}
