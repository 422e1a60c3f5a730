import { kycNumberTypes, kycRequirementsFor } from './kyc-requirements';
import {
  applyKycCorrections,
  checkKycRemediation,
  checkKycSubmission,
  describeKycSubmission,
  registrantNameOf,
  type KycFormContext,
  type KycSubmission,
} from './kyc-submission';

// As stored in `countries.kyc_requirements` (see the reference data migration).
const STORED_BR = [
  { numberType: 'mobile', requirementId: 'req_br_tax_id', label: 'CPF or CNPJ', kind: 'text', description: 'The tax number', example: '123.456.789-09' },
  { numberType: 'mobile', requirementId: 'req_br_address', label: 'Address in Brazil', kind: 'address', localTo: 'BR' },
  { numberType: 'mobile', requirementId: 'req_br_id', label: 'ID document', kind: 'file', example: 'cnh.pdf' },
  { numberType: 'local', requirementId: 'req_br_local_only', label: 'Other type', kind: 'text' },
  { numberType: 'mobile', label: 'no id', kind: 'text' },
  { numberType: 'mobile', requirementId: 'req_bad_kind', label: 'Bad kind', kind: 'video' },
];

const BR: KycFormContext = { requirements: kycRequirementsFor(STORED_BR, 'mobile'), country: 'BR', numberType: 'mobile' };

const address = { country_code: 'BR', business_name: 'Acme Ltda', street_address: 'Avenida Paulista 1578', locality: 'Sao Paulo', administrative_area: 'SP', postal_code: '01310-200' };
const complete: KycSubmission = { values: { req_br_tax_id: '123.456.789-09' }, documents: { req_br_id: 'doc1' }, address };

describe('kycRequirementsFor', () => {
  it('reads the fields of one number type, well formed ones only', () => {
    expect(BR.requirements.map((f) => [f.requirementId, f.kind, f.localTo])).toEqual([
      ['req_br_tax_id', 'text', null],
      ['req_br_address', 'address', 'BR'],
      ['req_br_id', 'file', null],
    ]);
    expect(BR.requirements[0]).toEqual({
      requirementId: 'req_br_tax_id',
      label: 'CPF or CNPJ',
      kind: 'text',
      description: 'The tax number',
      example: '123.456.789-09',
      localTo: null,
      audience: null,
    });
    expect(kycRequirementsFor('nonsense', 'mobile')).toEqual([]);
    expect(kycNumberTypes(STORED_BR)).toEqual(['mobile', 'local']);
  });
});

describe('checkKycSubmission', () => {
  it('accepts a complete submission', () => {
    expect(checkKycSubmission(complete, BR)).toEqual([]);
  });

  it('names every missing field', () => {
    expect(checkKycSubmission({ values: {}, documents: {}, address: null }, BR).map((i) => i.param)).toEqual([
      'values.req_br_tax_id',
      'address',
      'documents.req_br_id',
    ]);
  });

  it('names every wrong field: unknown ids, wrong kinds, bad formats, an address out of the country', () => {
    const issues = checkKycSubmission(
      {
        values: { req_br_tax_id: '123.456.789-00', req_unknown: 'x', req_br_id: 'not a value' },
        documents: { req_br_id: 'doc1', req_br_tax_id: 'doc2' },
        address: { ...address, country_code: 'PT', requirementId: 'req_br_address' } as typeof address,
      },
      BR,
    );
    expect(issues.map((i) => i.param)).toEqual([
      'values.req_br_tax_id',
      'values.req_unknown',
      'values.req_br_id',
      'documents.req_br_tax_id',
      'address.country_code',
    ]);
    expect(issues[0].message).toContain('CPF');
    expect(issues[1].message).toBe('req_unknown is not a field of the BR mobile form');
  });

  it('needs to know who the number is registered for', () => {
    const anonymous = { ...address, business_name: undefined };
    expect(checkKycSubmission({ ...complete, address: anonymous }, BR).map((i) => i.param)).toEqual(['address.business_name']);
    expect(checkKycSubmission({ ...complete, address: anonymous }, { ...BR, endUser: { firstName: 'Ana', lastName: 'Silva' } })).toEqual([]);
    expect(registrantNameOf(anonymous, { firstName: 'Ana', lastName: 'Silva' })).toBe('Ana Silva');
    expect(registrantNameOf(address)).toBe('Acme Ltda');
    expect(registrantNameOf(null)).toBeNull();
  });

  it('an action field needs the end user’s names', () => {
    const ctx: KycFormContext = {
      ...BR,
      requirements: [...BR.requirements, { requirementId: 'req_idv', label: 'ID verification', kind: 'action', description: null, example: null, localTo: null, audience: null }],
    };
    expect(checkKycSubmission(complete, ctx).map((i) => i.param)).toEqual(['endUserFirstName', 'endUserLastName']);
  });

  it('validates dates as YYYY-MM-DD', () => {
    const ctx: KycFormContext = {
      ...BR,
      requirements: [{ requirementId: 'req_dob', label: 'Date of birth', kind: 'date', description: null, example: null, localTo: null, audience: null }],
    };
    expect(checkKycSubmission({ values: { req_dob: '1990-02-30' }, documents: {}, address: null }, ctx).map((i) => i.param)).toEqual(['values.req_dob']);
    expect(checkKycSubmission({ values: { req_dob: '1990-02-28' }, documents: {}, address: null }, ctx)).toEqual([]);
  });
});

describe('remediation', () => {
  it('takes the declined fields, all of them and only them', () => {
    const fix = ['req_br_id', 'req_br_tax_id'];
    expect(checkKycRemediation({ values: { req_br_tax_id: '11.222.333/0001-81' }, documents: { req_br_id: 'doc9' }, address: null }, BR, fix)).toEqual([]);
    const issues = checkKycRemediation({ values: {}, documents: {}, address }, BR, fix);
    expect(issues.map((i) => [i.param, i.message])).toEqual([
      ['address', 'Address in Brazil was not declined: send only the fields to fix'],
      ['values.req_br_tax_id', 'CPF or CNPJ is required'],
      ['documents.req_br_id', 'ID document is required'],
    ]);
  });

  it('puts the corrections in place of the stored answers', () => {
    const corrected = applyKycCorrections(complete, { values: {}, documents: { req_br_id: 'doc9' }, address: null });
    expect(corrected).toEqual({ ...complete, documents: { req_br_id: 'doc9' } });
  });
});

describe('for the reviewer', () => {
  it('describes a submission field by field, in the form’s order', () => {
    expect(describeKycSubmission(BR.requirements, complete)).toEqual([
      { label: 'CPF or CNPJ', value: '123.456.789-09' },
      { label: 'Address in Brazil', value: 'Acme Ltda, Avenida Paulista 1578, 01310-200 Sao Paulo, SP, BR' },
      { label: 'ID document', value: 'document on file', documentId: 'doc1' },
    ]);
  });
});
