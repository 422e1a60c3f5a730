import { createHash } from 'node:crypto';
import type { KycAddressInput } from './kyc-address';
import type { KycFieldKind, KycRequirement } from './kyc-requirements';
import type { KycSubmission, RequirementValue } from './kyc-submission';

/** What a carrier requirement's value is: an uploaded document's id, a created address's id, or a text. */
export type CarrierRequirementKind = 'document' | 'address' | 'textual';

/** One requirement type the carrier asks for to order a number type of a country, by its own id. */
export interface CarrierRequirement {
  id: string;
  name: string;
  kind: CarrierRequirementKind;
}

/** How the fields of our KYC form answer the carrier's requirements. */
export interface CarrierRequirementMatch {
  /** Our requirement id → the carrier's requirement id it answers. */
  carrierIdOf: Record<string, string>;
  /** Carrier requirements no field of our form answers (the carrier will find them unmet). */
  unanswered: CarrierRequirement[];
}

/** The carrier kind each of our field kinds answers; an out-of-band check (`action`) answers none. */
const CARRIER_KIND: Readonly<Record<KycFieldKind, CarrierRequirementKind | null>> = {
  text: 'textual',
  date: 'textual',
  address: 'address',
  file: 'document',
  action: null,
};

/**
 * Pairs our form's fields with the carrier's requirements: by kind (a file answers a document
 * requirement, the address an address requirement, a text or date a textual one), and within a
 * kind in order: the reference data lists a country's fields of one kind in the order the carrier
 * lists its requirements of that kind (FR: the ID document, then the proof of address).
 */
export function matchCarrierRequirements(fields: readonly KycRequirement[], carrier: readonly CarrierRequirement[]): CarrierRequirementMatch {
  const waiting = new Map<CarrierRequirementKind, CarrierRequirement[]>();
  for (const requirement of carrier) waiting.set(requirement.kind, [...(waiting.get(requirement.kind) ?? []), requirement]);
  const carrierIdOf: Record<string, string> = {};
  for (const field of fields) {
    const kind = CARRIER_KIND[field.kind];
    const next = kind ? waiting.get(kind)?.shift() : undefined;
    if (next) carrierIdOf[field.requirementId] = next.id;
  }
  return { carrierIdOf, unanswered: [...waiting.values()].flat() };
}

/** What the carrier holds of a submission: the id of its address there, and of each document (ours → the carrier's). */
export interface CarrierReferences {
  addressId: string | null;
  documentIds: Readonly<Record<string, string>>;
}

/**
 * The submission as the carrier's requirement group takes it, in the form's order, each value
 * under the carrier's requirement id: texts and dates as given, a file as the id of the document
 * uploaded to the carrier, the address as the id of the address created there. A field the
 * carrier does not ask for, or not answered, is left out (the carrier then reports it unmet).
 */
export function carrierRequirementValues(
  fields: readonly KycRequirement[],
  submission: KycSubmission,
  match: CarrierRequirementMatch,
  references: CarrierReferences,
): RequirementValue[] {
  const values: RequirementValue[] = [];
  for (const field of fields) {
    const requirementId = match.carrierIdOf[field.requirementId];
    if (!requirementId) continue;
    let value: string | null | undefined;
    if (field.kind === 'text' || field.kind === 'date') value = submission.values[field.requirementId];
    else if (field.kind === 'file') {
      const ours = submission.documents[field.requirementId];
      value = ours ? references.documentIds[ours] : undefined;
    } else if (field.kind === 'address') value = references.addressId;
    if (value) values.push({ requirementId, value });
  }
  return values;
}

/** Our fields behind the carrier's requirement ids (a declined group's requirements at fault); ids of no field are left out. */
export function fieldsOfCarrierRequirements(match: CarrierRequirementMatch, carrierIds: readonly string[]): string[] {
  const wanted = new Set(carrierIds);
  return Object.entries(match.carrierIdOf)
    .filter(([, carrierId]) => wanted.has(carrierId))
    .map(([fieldId]) => fieldId);
}

/**
 * The customer reference of a number's address at the carrier: the number and the address's
 * content, so a retry finds the address it created, and a corrected address is a new one.
 */
export function carrierAddressReference(numberId: string, address: KycAddressInput): string {
  const canonical = JSON.stringify(Object.entries(address).filter(([, v]) => typeof v === 'string' && v !== '').sort(([a], [b]) => a.localeCompare(b)));
  return `numbers-address-${numberId}-${createHash('sha256').update(canonical).digest('hex').slice(0, 16)}`;
}

/** The customer reference of one of our KYC documents at the carrier: a retry finds the upload it made. */
export function carrierDocumentReference(documentId: string): string {
  return `numbers-document-${documentId}`;
}
