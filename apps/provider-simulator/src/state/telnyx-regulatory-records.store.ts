import { createHash, randomUUID } from 'node:crypto';

/** What one requirement type asks for, in Telnyx's words: a document id, an address id, or a text. */
export type RequirementTypeKind = 'document' | 'address' | 'textual';

export interface RequirementTypeRecord {
  id: string;
  name: string;
  type: RequirementTypeKind;
  description: string;
  example: string;
  acceptanceCriteria: { localityLimit?: string; timeLimit?: string };
  createdAt: string;
  updatedAt: string;
}

/** A requirement (`record_type: requirement`): what ordering a number type of a country needs. */
export interface RequirementRecord {
  id: string;
  countryCode: string;
  phoneNumberType: 'local' | 'mobile' | 'national' | 'toll_free';
  action: 'ordering';
  types: RequirementTypeRecord[];
  createdAt: string;
  updatedAt: string;
}

export interface AddressRecord {
  id: string;
  customerReference: string | null;
  businessName: string | null;
  firstName: string | null;
  lastName: string | null;
  streetAddress: string;
  extendedAddress: string | null;
  locality: string;
  administrativeArea: string | null;
  postalCode: string | null;
  countryCode: string;
  createdAt: string;
  updatedAt: string;
}

export interface DocumentRecord {
  id: string;
  customerReference: string | null;
  filename: string | null;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  createdAt: string;
  updatedAt: string;
}

const CREATED = '2024-01-15T10:00:00.000Z';

function requirementType(id: string, name: string, type: RequirementTypeKind, description: string, example: string, localityLimit?: string): RequirementTypeRecord {
  return { id, name, type, description, example, acceptanceCriteria: localityLimit ? { localityLimit } : {}, createdAt: CREATED, updatedAt: CREATED };
}

/**
 * The ordering requirements of the countries the simulator treats as regulated (DE, FR, BR, AU),
 * with fixed ids as the real catalog has: the ids survive a reset and a restart, as Telnyx's do.
 */
const CATALOG: readonly RequirementRecord[] = [
  {
    id: '6a09cdc3-8948-47f0-aa62-74ac943d6c01',
    countryCode: 'DE',
    phoneNumberType: 'local',
    action: 'ordering',
    types: [
      requirementType('12ade33a-21c0-473b-b055-b3c836e1c201', 'Address matching the DID area code', 'address', 'Address in the area code of the number (street, building number, postal code, city and country)', 'Friedrichstrasse 68, 10117 Berlin', 'Identical locality as the numbers desired'),
      requirementType('4e2f1e5b-06d1-4b0c-9d8e-5f3a8c1d2e02', 'Proof of identity', 'document', 'A valid passport or national identity card of the end user', 'personalausweis.pdf'),
    ],
    createdAt: CREATED,
    updatedAt: CREATED,
  },
  {
    id: '6a09cdc3-8948-47f0-aa62-74ac943d6c02',
    countryCode: 'FR',
    phoneNumberType: 'local',
    action: 'ordering',
    types: [
      requirementType('12ade33a-21c0-473b-b055-b3c836e1c203', 'Address matching the geographic zone', 'address', 'Address in the geographic zone of the number', '12 Rue de Rivoli, 75004 Paris', 'Identical locality as the numbers desired'),
      requirementType('4e2f1e5b-06d1-4b0c-9d8e-5f3a8c1d2e04', 'Proof of identity', 'document', 'A valid passport or national identity card of the end user', 'carte-identite.pdf'),
      requirementType('4e2f1e5b-06d1-4b0c-9d8e-5f3a8c1d2e05', 'Proof of address', 'document', 'A utility bill or bank statement less than three months old', 'facture-edf.pdf'),
    ],
    createdAt: CREATED,
    updatedAt: CREATED,
  },
  {
    id: '6a09cdc3-8948-47f0-aa62-74ac943d6c03',
    countryCode: 'BR',
    phoneNumberType: 'mobile',
    action: 'ordering',
    types: [
      requirementType('7b3c2d4e-5f60-4a1b-8c9d-0e1f2a3b4c06', 'CPF or CNPJ', 'textual', 'The Brazilian tax number of the end user', '123.456.789-09'),
      requirementType('12ade33a-21c0-473b-b055-b3c836e1c207', 'Address in Brazil', 'address', 'A street address in Brazil', 'Avenida Paulista 1578, Sao Paulo - SP, 01310-200'),
      requirementType('4e2f1e5b-06d1-4b0c-9d8e-5f3a8c1d2e08', 'Proof of identity', 'document', 'An RG, CNH or passport of the end user', 'cnh.pdf'),
    ],
    createdAt: CREATED,
    updatedAt: CREATED,
  },
  {
    id: '6a09cdc3-8948-47f0-aa62-74ac943d6c04',
    countryCode: 'AU',
    phoneNumberType: 'mobile',
    action: 'ordering',
    types: [
      requirementType('12ade33a-21c0-473b-b055-b3c836e1c209', 'Australian address', 'address', 'A street address in Australia, not a PO box', '1 Martin Place, Sydney NSW 2000'),
      requirementType('4e2f1e5b-06d1-4b0c-9d8e-5f3a8c1d2e10', 'Proof of identity', 'document', 'A passport or Australian driver licence of the end user', 'drivers-licence.pdf'),
    ],
    createdAt: CREATED,
    updatedAt: CREATED,
  },
];

/** A requirement type of the catalog by its id (the catalog is the same for every simulator). */
export function catalogRequirementType(id: string): RequirementTypeRecord | undefined {
  return CATALOG.flatMap((r) => r.types).find((type) => type.id === id);
}

export type NewAddress = Omit<AddressRecord, 'id' | 'createdAt' | 'updatedAt'>;

/**
 * Telnyx's regulatory records besides requirement groups: the requirements catalog (read-only,
 * `/v2/requirements`, `/v2/requirement_types`), and the addresses and documents an account
 * creates (`/v2/addresses`, `/v2/documents`), which a requirement group references by id.
 * Telnyx does not deduplicate either: a second create is a second record (callers look theirs up
 * by `customer_reference` first).
 */
export class TelnyxRegulatoryRecordStore {
  private readonly addresses = new Map<string, AddressRecord>();
  private readonly documents = new Map<string, DocumentRecord>();

  requirements(filter: { countryCode?: string; phoneNumberType?: string; action?: string } = {}): RequirementRecord[] {
    return CATALOG.filter(
      (r) =>
        (filter.countryCode === undefined || r.countryCode === filter.countryCode) &&
        (filter.phoneNumberType === undefined || r.phoneNumberType === filter.phoneNumberType) &&
        (filter.action === undefined || r.action === filter.action),
    );
  }

  requirement(id: string): RequirementRecord | undefined {
    return CATALOG.find((r) => r.id === id);
  }

  requirementTypes(): RequirementTypeRecord[] {
    return CATALOG.flatMap((r) => r.types);
  }

  requirementType(id: string): RequirementTypeRecord | undefined {
    return catalogRequirementType(id);
  }

  /** The ordering requirement of a country and number type, when the catalog has one. */
  orderingRequirementOf(countryCode: string, phoneNumberType: string): RequirementRecord | undefined {
    return CATALOG.find((r) => r.countryCode === countryCode && r.phoneNumberType === phoneNumberType && r.action === 'ordering');
  }

  createAddress(input: NewAddress): AddressRecord {
    const now = new Date().toISOString();
    const address: AddressRecord = { ...input, id: randomUUID(), createdAt: now, updatedAt: now };
    this.addresses.set(address.id, address);
    return address;
  }

  address(id: string): AddressRecord | undefined {
    return this.addresses.get(id);
  }

  /** Oldest first. */
  listAddresses(filter: { customerReference?: string } = {}): AddressRecord[] {
    return [...this.addresses.values()].filter((a) => filter.customerReference === undefined || a.customerReference === filter.customerReference);
  }

  createDocument(input: { customerReference: string | null; filename: string | null; content: Buffer }): DocumentRecord {
    const now = new Date().toISOString();
    const document: DocumentRecord = {
      id: randomUUID(),
      customerReference: input.customerReference,
      filename: input.filename,
      contentType: contentTypeOf(input.content),
      sizeBytes: input.content.byteLength,
      sha256: createHash('sha256').update(input.content).digest('hex'),
      createdAt: now,
      updatedAt: now,
    };
    this.documents.set(document.id, document);
    return document;
  }

  document(id: string): DocumentRecord | undefined {
    return this.documents.get(id);
  }

  /** Oldest first. */
  listDocuments(filter: { customerReference?: string } = {}): DocumentRecord[] {
    return [...this.documents.values()].filter((d) => filter.customerReference === undefined || d.customerReference === filter.customerReference);
  }

  clear(): void {
    this.addresses.clear();
    this.documents.clear();
  }
}

/** The file's type as its first bytes tell it, as Telnyx's document service reports it. */
function contentTypeOf(content: Buffer): string {
  if (content.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (content[0] === 0xff && content[1] === 0xd8) return 'image/jpeg';
  if (content.subarray(1, 4).toString('latin1') === 'PNG') return 'image/png';
  return 'application/octet-stream';
}
