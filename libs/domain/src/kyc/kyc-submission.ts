import { checkKycAddress, formatKycAddress, type KycAddressInput, type KycIssue } from './kyc-address';
import type { KycRequirement } from './kyc-requirements';
import { parseBrazilianTaxId } from './kyc-tax-ids';

/** What a customer submitted for one number, keyed by the form's requirement ids. */
export interface KycSubmission {
  /** requirementId → value, for `text` and `date` fields. */
  values: Record<string, string>;
  /** requirementId → stored KYC document id, for `file` fields. */
  documents: Record<string, string>;
  /** The answer to the form's `address` field, if it has one. */
  address: KycAddressInput | null;
}

export interface KycEndUser {
  firstName?: string;
  lastName?: string;
}

export interface KycFormContext {
  /** The fields of the country and number type (`kycRequirementsFor`). */
  requirements: KycRequirement[];
  country: string;
  numberType: string;
  endUser?: KycEndUser;
}

const MAX_VALUE_LENGTH = 500;

/** Formats some fields of our reference data must have, by requirement id. */
const VALUE_FORMATS: Readonly<Record<string, (value: string) => string | null>> = {
  req_br_tax_id: (value) => (parseBrazilianTaxId(value) ? null : 'must be a valid CPF (11 digits) or CNPJ (14 digits), e.g. 123.456.789-09'),
};

function blank(value: string | undefined | null): boolean {
  return value === undefined || value === null || value.trim() === '';
}

function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

function checkValue(field: KycRequirement, value: string): string | null {
  if (blank(value)) return `is required (${field.label})`;
  if (value.length > MAX_VALUE_LENGTH) return `must be at most ${MAX_VALUE_LENGTH} characters`;
  if (field.kind === 'date' && !isIsoDate(value)) return 'must be a date as YYYY-MM-DD';
  return VALUE_FORMATS[field.requirementId]?.(value) ?? null;
}

/** Who the number is registered for: the business, else the person, from the address or the end user. */
export function registrantNameOf(address: KycAddressInput | null, endUser: KycEndUser = {}): string | null {
  const business = address?.business_name?.trim();
  if (business) return business;
  const person = [address?.first_name ?? endUser.firstName, address?.last_name ?? endUser.lastName].map((part) => part?.trim());
  return person[0] && person[1] ? `${person[0]} ${person[1]}` : null;
}

type Expect = 'all' | ReadonlySet<string>;

/**
 * The field rules shared by a submission (every field expected) and a remediation (only the
 * declined fields expected, and nothing else may be sent). One issue per field at fault, each
 * naming the request field (`values.<id>`, `documents.<id>`, `address`, `address.<field>`).
 */
function checkFields(input: KycSubmission, ctx: KycFormContext, expected: Expect): KycIssue[] {
  const issues: KycIssue[] = [];
  const byId = new Map(ctx.requirements.map((field) => [field.requirementId, field]));
  const form = `the ${ctx.country} ${ctx.numberType} form`;
  const wanted = (field: KycRequirement) => expected === 'all' || expected.has(field.requirementId);
  const notWanted = (param: string, id: string) => {
    const field = byId.get(id);
    if (!field) issues.push({ param, message: `${id} is not a field of ${form}` });
    else issues.push({ param, message: `${field.label} was not declined: send only the fields to fix` });
  };

  for (const [id, value] of Object.entries(input.values)) {
    const field = byId.get(id);
    if (!field || !wanted(field)) notWanted(`values.${id}`, id);
    else if (field.kind !== 'text' && field.kind !== 'date') issues.push({ param: `values.${id}`, message: `${field.label} is a ${field.kind} field: not a value` });
    else {
      const problem = checkValue(field, value);
      if (problem) issues.push({ param: `values.${id}`, message: `${field.label} ${problem}` });
    }
  }
  for (const id of Object.keys(input.documents)) {
    const field = byId.get(id);
    if (!field || !wanted(field)) notWanted(`documents.${id}`, id);
    else if (field.kind !== 'file') issues.push({ param: `documents.${id}`, message: `${field.label} is a ${field.kind} field: not a document` });
  }

  const addressField = ctx.requirements.find((field) => field.kind === 'address');
  if (input.address) {
    const answers = input.address as KycAddressInput & { requirementId?: string };
    if (!addressField) issues.push({ param: 'address', message: `${form} asks for no address` });
    else if (!wanted(addressField)) notWanted('address', addressField.requirementId);
    else if (answers.requirementId !== undefined && answers.requirementId !== addressField.requirementId) {
      issues.push({ param: 'address.requirementId', message: `the address answers ${addressField.requirementId}` });
    } else {
      issues.push(...checkKycAddress(input.address, { localTo: addressField.localTo, paramPrefix: 'address.' }).issues);
      if (!registrantNameOf(input.address, ctx.endUser)) {
        issues.push({ param: 'address.business_name', message: 'give business_name, or first_name and last_name: who the number is registered for' });
      }
    }
  }

  for (const field of ctx.requirements.filter(wanted)) {
    switch (field.kind) {
      case 'text':
      case 'date':
        if (!(field.requirementId in input.values)) issues.push({ param: `values.${field.requirementId}`, message: `${field.label} is required` });
        break;
      case 'file':
        if (!(field.requirementId in input.documents)) issues.push({ param: `documents.${field.requirementId}`, message: `${field.label} is required` });
        break;
      case 'address':
        if (!input.address) issues.push({ param: 'address', message: `${field.label} is required` });
        break;
      case 'action':
        if (blank(ctx.endUser?.firstName)) issues.push({ param: 'endUserFirstName', message: `endUserFirstName is required for ${field.label}` });
        if (blank(ctx.endUser?.lastName)) issues.push({ param: 'endUserLastName', message: `endUserLastName is required for ${field.label}` });
        break;
    }
  }
  return issues;
}

/** Everything wrong with a full KYC submission for a country's form; empty when it can be sent. */
export function checkKycSubmission(input: KycSubmission, ctx: KycFormContext): KycIssue[] {
  return checkFields(input, ctx, 'all');
}

/**
 * Everything wrong with the corrections of a declined submission: every declined field
 * (`fieldsToFix`) must be corrected, and only those; each correction follows the field's rules.
 */
export function checkKycRemediation(corrections: KycSubmission, ctx: KycFormContext, fieldsToFix: readonly string[]): KycIssue[] {
  return checkFields(corrections, ctx, new Set(fieldsToFix));
}

/** The stored submission with the corrections in place (an address is replaced as a whole). */
export function applyKycCorrections(stored: KycSubmission, corrections: KycSubmission): KycSubmission {
  return {
    values: { ...stored.values, ...corrections.values },
    documents: { ...stored.documents, ...corrections.documents },
    address: corrections.address ?? stored.address,
  };
}

/** One requirement value as the carrier's requirement group takes it. */
export interface RequirementValue {
  requirementId: string;
  value: string;
}

/** What a stored submission says, field by field, for a reviewer or a reuse summary (`{label, value}`). */
export function describeKycSubmission(requirements: KycRequirement[], submission: KycSubmission): { label: string; value: string; documentId?: string }[] {
  const details: { label: string; value: string; documentId?: string }[] = [];
  for (const field of requirements) {
    if (field.kind === 'text' || field.kind === 'date') {
      const value = submission.values[field.requirementId];
      if (value) details.push({ label: field.label, value });
    } else if (field.kind === 'file') {
      const documentId = submission.documents[field.requirementId];
      if (documentId) details.push({ label: field.label, value: 'document on file', documentId });
    } else if (field.kind === 'address' && submission.address) {
      details.push({ label: field.label, value: formatKycAddress(submission.address) });
    }
  }
  return details;
}
