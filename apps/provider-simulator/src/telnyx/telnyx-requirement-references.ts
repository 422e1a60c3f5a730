import { ProviderReplyError } from '../shared/provider-reply';
import type { TelnyxRegulatoryRecordStore } from '../state/telnyx-regulatory-records.store';
import type { RequirementGroupRecord } from '../state/telnyx-requirement-group.store';
import { telnyxError } from './telnyx-errors';

type Values = { requirementId: string; fieldValue: string | null }[];

/**
 * What Telnyx checks of a requirement group's values, for the countries the catalog covers: each
 * `requirement_id` is a requirement type of ordering that country's number type, an address
 * requirement's value is an address of the account in that country, and a document
 * requirement's value a document of the account. A country outside the catalog takes its values
 * as they are.
 */
export function checkRequirementValues(records: TelnyxRegulatoryRecordStore, group: Pick<RequirementGroupRecord, 'countryCode' | 'phoneNumberType'>, values: Values): void {
  const requirement = records.orderingRequirementOf(group.countryCode, group.phoneNumberType);
  if (!requirement) return;
  values.forEach((value, i) => {
    const type = requirement.types.find((t) => t.id === value.requirementId);
    if (!type) {
      throw invalid(`regulatory_requirements/${i}/requirement_id`, `${value.requirementId} is not a requirement of ordering ${group.phoneNumberType} numbers in ${group.countryCode}.`);
    }
    if (value.fieldValue === null) return;
    const pointer = `regulatory_requirements/${i}/field_value`;
    if (type.type === 'address') {
      const address = records.address(value.fieldValue);
      if (!address) throw invalid(pointer, `Address ${value.fieldValue} was not found: ${type.name} takes the id of an address.`);
      if (address.countryCode !== group.countryCode) throw invalid(pointer, `Address ${value.fieldValue} is in ${address.countryCode}, not ${group.countryCode}.`);
    } else if (type.type === 'document' && !records.document(value.fieldValue)) {
      throw invalid(pointer, `Document ${value.fieldValue} was not found: ${type.name} takes the id of an uploaded document.`);
    }
  });
}

/** A group is submitted for review only with a value for every requirement type of its requirement. */
export function checkRequirementsMet(records: TelnyxRegulatoryRecordStore, group: RequirementGroupRecord): void {
  const requirement = records.orderingRequirementOf(group.countryCode, group.phoneNumberType);
  if (!requirement) return;
  const missing = requirement.types.filter((type) => !group.requirements.some((r) => r.requirementId === type.id && r.fieldValue !== null && r.fieldValue !== ''));
  if (missing.length > 0) {
    throw new ProviderReplyError(
      telnyxError(422, '10015', 'Invalid requirement group', `The requirement group is missing values for: ${missing.map((t) => `${t.name} (${t.id})`).join(', ')}.`),
    );
  }
}

function invalid(pointer: string, detail: string): ProviderReplyError {
  const reply = telnyxError(422, '10015', 'Invalid value for parameter', detail);
  (reply.body as { errors: Record<string, unknown>[] }).errors[0].source = { pointer: `/${pointer}` };
  return new ProviderReplyError(reply);
}
