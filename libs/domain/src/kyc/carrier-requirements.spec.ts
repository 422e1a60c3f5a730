import {
  carrierAddressReference,
  carrierDocumentReference,
  carrierRequirementValues,
  fieldsOfCarrierRequirements,
  matchCarrierRequirements,
  type CarrierRequirement,
} from './carrier-requirements';
import { kycRequirementsFor } from './kyc-requirements';
import type { KycSubmission } from './kyc-submission';

// As the reference data stores France's form: an address and two files.
const FR = kycRequirementsFor(
  [
    { numberType: 'local', requirementId: 'req_fr_address', label: 'Address in France', kind: 'address', localTo: 'FR' },
    { numberType: 'local', requirementId: 'req_fr_id', label: 'ID document', kind: 'file' },
    { numberType: 'local', requirementId: 'req_fr_proof_of_address', label: 'Proof of address', kind: 'file' },
    { numberType: 'local', requirementId: 'req_fr_check', label: 'Video call', kind: 'action' },
  ],
  'local',
);
// As the carrier lists them: its own ids, its own order across kinds.
const CARRIER: CarrierRequirement[] = [
  { id: 'c-id', name: 'Proof of identity', kind: 'document' },
  { id: 'c-poa', name: 'Proof of address', kind: 'document' },
  { id: 'c-addr', name: 'Address matching the zone', kind: 'address' },
];

const address = { country_code: 'FR', business_name: 'Acme SARL', street_address: '12 Rue de Rivoli', locality: 'Paris', postal_code: '75004' };
const submission: KycSubmission = { values: {}, documents: { req_fr_id: 'doc-a', req_fr_proof_of_address: 'doc-b' }, address };

describe('matchCarrierRequirements', () => {
  it('pairs each field with the carrier requirement of its kind, in order within a kind; an action answers none', () => {
    expect(matchCarrierRequirements(FR, CARRIER)).toEqual({
      carrierIdOf: { req_fr_address: 'c-addr', req_fr_id: 'c-id', req_fr_proof_of_address: 'c-poa' },
      unanswered: [],
    });
  });

  it('names the carrier requirements no field answers, and leaves fields the carrier does not ask for unpaired', () => {
    const textual: CarrierRequirement = { id: 'c-siret', name: 'SIRET', kind: 'textual' };
    const match = matchCarrierRequirements(FR, [CARRIER[0], textual]);
    expect(match.carrierIdOf).toEqual({ req_fr_id: 'c-id' });
    expect(match.unanswered).toEqual([textual]);
  });

  it('answers a textual requirement with a text or a date field', () => {
    const BR = kycRequirementsFor([{ numberType: 'mobile', requirementId: 'req_br_tax_id', label: 'CPF', kind: 'text' }], 'mobile');
    expect(matchCarrierRequirements(BR, [{ id: 'c-cpf', name: 'CPF or CNPJ', kind: 'textual' }]).carrierIdOf).toEqual({ req_br_tax_id: 'c-cpf' });
  });
});

describe('carrierRequirementValues', () => {
  const match = matchCarrierRequirements(FR, CARRIER);

  it('puts each value under the carrier id: the address and the documents as the ids the carrier gave them', () => {
    const values = carrierRequirementValues(FR, submission, match, { addressId: 'addr-1', documentIds: { 'doc-a': 'tdoc-a', 'doc-b': 'tdoc-b' } });
    expect(values).toEqual([
      { requirementId: 'c-addr', value: 'addr-1' },
      { requirementId: 'c-id', value: 'tdoc-a' },
      { requirementId: 'c-poa', value: 'tdoc-b' },
    ]);
  });

  it('leaves out what the carrier does not hold yet: never our own ids', () => {
    const values = carrierRequirementValues(FR, submission, match, { addressId: null, documentIds: { 'doc-a': 'tdoc-a' } });
    expect(values).toEqual([{ requirementId: 'c-id', value: 'tdoc-a' }]);
  });
});

describe('fieldsOfCarrierRequirements', () => {
  it('turns the carrier requirements at fault back into our fields; unknown ids are dropped', () => {
    const match = matchCarrierRequirements(FR, CARRIER);
    expect(fieldsOfCarrierRequirements(match, ['c-poa', 'c-unknown'])).toEqual(['req_fr_proof_of_address']);
  });
});

describe('customer references at the carrier', () => {
  it('an address: the same for the same content in any key order, new for a corrected address or another number', () => {
    const reordered = { postal_code: '75004', locality: 'Paris', street_address: '12 Rue de Rivoli', business_name: 'Acme SARL', country_code: 'FR' };
    const reference = carrierAddressReference('n1', address);
    expect(reference).toMatch(/^numbers-address-n1-[0-9a-f]{16}$/);
    expect(carrierAddressReference('n1', reordered)).toBe(reference);
    expect(carrierAddressReference('n1', { ...address, street_address: '14 Rue de Rivoli' })).not.toBe(reference);
    expect(carrierAddressReference('n2', address)).not.toBe(reference);
  });

  it('a document: by our document id', () => {
    expect(carrierDocumentReference('doc-a')).toBe('numbers-document-doc-a');
  });
});
