import type Telnyx from 'telnyx';
import type { DocReqsRequirement, RequirementListParams } from 'telnyx/resources/requirements';
import type { AddressCreateParams } from 'telnyx/resources/addresses/addresses';
import type { CarrierNumberType, CarrierRequirementType, NewCarrierAddress, NewCarrierDocument } from '../ports/carrier.gateway';
import { ProviderError } from '../provider-error';
import { requireIdempotencyKey } from '../require-idempotency-key';
import { fromTelnyxError } from './telnyx-error.mapper';

const KINDS: readonly CarrierRequirementType['kind'][] = ['document', 'address', 'textual'];

async function call<T>(operation: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw fromTelnyxError(error, operation);
  }
}

const emptyResponse = (operation: string) => new ProviderError({ provider: 'telnyx', operation, status: 200, code: 'empty_response', retryable: true });

/**
 * The requirement types of a requirement, in its order. The SDK names the list
 * `requirement_types`; Telnyx's published example of `GET /requirements/{id}` names it
 * `requirements_types`: either is read.
 */
function typesOf(requirement: DocReqsRequirement): CarrierRequirementType[] {
  const listed = requirement.requirement_types ?? (requirement as { requirements_types?: DocReqsRequirement['requirement_types'] }).requirements_types ?? [];
  return listed.flatMap((type) =>
    type.id && type.type && (KINDS as readonly string[]).includes(type.type) ? [{ id: type.id, name: type.name ?? type.id, kind: type.type }] : [],
  );
}

/**
 * What ordering `numberType` numbers in `country` needs (`GET /v2/requirements` with
 * `filter[country_code]`, `filter[phone_number_type]`, `filter[action]=ordering`): the requirement
 * types of the matching requirements, each once, in the carrier's order. Telnyx may list a
 * country-wide requirement and one per locality; the country-wide one (no locality) comes first.
 */
export async function listOrderingRequirements(telnyx: Telnyx, country: string, numberType: CarrierNumberType): Promise<CarrierRequirementType[]> {
  const filter = { country_code: country.toUpperCase(), phone_number_type: numberType as NonNullable<RequirementListParams.Filter['phone_number_type']>, action: 'ordering' as const };
  const requirements = await call('requirements.list', async () => {
    const all: DocReqsRequirement[] = [];
    for await (const requirement of telnyx.requirements.list({ filter })) all.push(requirement);
    return all;
  });
  const mine = requirements
    .filter((r) => r.country_code === filter.country_code && (r.phone_number_type === undefined || r.phone_number_type === numberType) && r.action !== 'porting')
    .sort((a, b) => Number(Boolean(a.locality)) - Number(Boolean(b.locality)));
  const seen = new Set<string>();
  return mine.flatMap(typesOf).filter((type) => (seen.has(type.id) ? false : (seen.add(type.id), true)));
}

/**
 * Creates the address at the carrier once: Telnyx does not deduplicate addresses, so the one
 * created with this customer reference before (by a run that died before recording it) is
 * looked up first and answered.
 */
export async function createAddress(telnyx: Telnyx, address: NewCarrierAddress, idempotencyKey: string): Promise<string> {
  const key = requireIdempotencyKey(idempotencyKey, 'telnyx addresses.create');
  const existing = await call('addresses.list', () => telnyx.addresses.list({ filter: { customer_reference: { eq: address.customerReference } } }));
  const found = existing.data.find((a) => a.customer_reference === address.customerReference && a.id);
  if (found?.id) return found.id;
  const body = {
    customer_reference: address.customerReference,
    country_code: address.countryCode,
    street_address: address.streetAddress,
    locality: address.locality,
    ...(address.businessName ? { business_name: address.businessName } : {}),
    ...(address.firstName ? { first_name: address.firstName } : {}),
    ...(address.lastName ? { last_name: address.lastName } : {}),
    ...(address.extendedAddress ? { extended_address: address.extendedAddress } : {}),
    ...(address.administrativeArea ? { administrative_area: address.administrativeArea } : {}),
    ...(address.postalCode ? { postal_code: address.postalCode } : {}),
  };
  // The SDK types every name as required; Telnyx wants a business name or a first and last name.
  const { data } = await call('addresses.create', () => telnyx.addresses.create(body as AddressCreateParams, { headers: { 'Idempotency-Key': key } }));
  if (!data?.id) throw emptyResponse('addresses.create');
  return data.id;
}

/**
 * Uploads the document to the carrier once (`POST /v2/documents`, JSON with the file in base64):
 * the one uploaded with this customer reference before is looked up first and answered.
 */
export async function uploadDocument(telnyx: Telnyx, document: NewCarrierDocument, idempotencyKey: string): Promise<string> {
  const key = requireIdempotencyKey(idempotencyKey, 'telnyx documents.upload');
  const existing = await call('documents.list', () => telnyx.documents.list({ filter: { customer_reference: { eq: document.customerReference } } }));
  const found = existing.data.find((d) => d.customer_reference === document.customerReference && d.id);
  if (found?.id) return found.id;
  const { data } = await call('documents.uploadJson', () =>
    telnyx.documents.uploadJson(
      { document: { customer_reference: document.customerReference, filename: document.filename, file: Buffer.from(document.content).toString('base64') } },
      { headers: { 'Idempotency-Key': key } },
    ),
  );
  if (!data?.id) throw emptyResponse('documents.uploadJson');
  return data.id;
}
