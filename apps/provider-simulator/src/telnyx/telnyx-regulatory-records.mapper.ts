import type { AddressRecord, DocumentRecord, RequirementRecord, RequirementTypeRecord } from '../state/telnyx-regulatory-records.store';

/** A requirement type as `/v2/requirement_types` and a requirement's `requirement_types` show it (the SDK's `DocReqsRequirementType`). */
export function toRequirementTypeObject(type: RequirementTypeRecord): Record<string, unknown> {
  return {
    id: type.id,
    record_type: 'requirement_type',
    name: type.name,
    type: type.type,
    description: type.description,
    example: type.example,
    acceptance_criteria: {
      ...(type.acceptanceCriteria.localityLimit ? { locality_limit: type.acceptanceCriteria.localityLimit } : {}),
      ...(type.acceptanceCriteria.timeLimit ? { time_limit: type.acceptanceCriteria.timeLimit } : {}),
    },
    created_at: type.createdAt,
    updated_at: type.updatedAt,
  };
}

/** A requirement as `/v2/requirements` shows it (the SDK's `DocReqsRequirement`). */
export function toRequirementObject(requirement: RequirementRecord): Record<string, unknown> {
  return {
    id: requirement.id,
    record_type: 'requirement',
    country_code: requirement.countryCode,
    phone_number_type: requirement.phoneNumberType,
    action: requirement.action,
    locality: null,
    requirement_types: requirement.types.map(toRequirementTypeObject),
    version: 1,
    effective_start_at: requirement.createdAt,
    effective_end_at: null,
    created_at: requirement.createdAt,
    updated_at: requirement.updatedAt,
  };
}

/** An address as `/v2/addresses` shows it (the SDK's `Address`). */
export function toAddressObject(address: AddressRecord): Record<string, unknown> {
  return {
    id: address.id,
    record_type: 'address',
    customer_reference: address.customerReference,
    business_name: address.businessName,
    first_name: address.firstName,
    last_name: address.lastName,
    phone_number: null,
    street_address: address.streetAddress,
    extended_address: address.extendedAddress,
    locality: address.locality,
    administrative_area: address.administrativeArea,
    neighborhood: null,
    borough: null,
    postal_code: address.postalCode,
    country_code: address.countryCode,
    address_book: true,
    validate_address: true,
    created_at: address.createdAt,
    updated_at: address.updatedAt,
  };
}

/** A document as `/v2/documents` shows it (the SDK's `DocServiceDocument`). */
export function toDocumentObject(document: DocumentRecord): Record<string, unknown> {
  return {
    id: document.id,
    record_type: 'document',
    customer_reference: document.customerReference,
    filename: document.filename,
    content_type: document.contentType,
    size: { amount: document.sizeBytes, unit: 'bytes' },
    sha256: document.sha256,
    status: 'pending',
    av_scan_status: 'scanned',
    created_at: document.createdAt,
    updated_at: document.updatedAt,
  };
}
