import type { AppConfig } from '@numbers/config';
import type { ConnectedNumberRow, CountryOffer, PhoneNumberRow } from '@numbers/persistence';

/** Field order and shapes as the `@zernio/node` SDK types them (GetWhatsAppPhoneNumbersResponse). */
export interface PhoneNumberFields {
  phoneNumber: string | null;
  country: string;
  status: PhoneNumberRow['status'];
  registrantName: string | null;
  telnyxOrderId: string | null;
  monthlyCents: number;
  hostedByZernio: true;
  sipTrunkId: null;
  profileId: { _id: string; name: string | null };
  provisionedAt: string | null;
  metaPreverifiedId: string | null;
  metaVerificationStatus: string | null;
  onfidoVerificationUrl: string | null;
  endUserFirstName: string | null;
  endUserLastName: string | null;
  regulatoryDeclineReason: string | null;
  callingEnabled: boolean;
  createdAt: string;
}

export type PhoneNumberListItem = { _id: string } & PhoneNumberFields;
export type PhoneNumberView = { id: string } & PhoneNumberFields;

export interface ConnectedNumberView {
  accountId: string;
  phoneNumber: string;
  displayName: string | null;
  profileId: string;
  connectedAt: string;
  callingEnabled: boolean;
}

export interface SandboxView {
  phoneNumber: string;
  accountId: string;
  template: { name: string; language: string };
  isSandbox: true;
}

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

/**
 * A number in a list: `_id`. One literal, built 500 times for a large account's list: a spread
 * of shared fields into a second object measured about 1.6x slower.
 */
export function presentListItem(row: PhoneNumberRow): PhoneNumberListItem {
  return {
    _id: row.id,
    phoneNumber: row.phoneNumber,
    country: row.country,
    status: row.status,
    registrantName: row.registrantName,
    telnyxOrderId: row.telnyxOrderId,
    monthlyCents: row.monthlyCents,
    hostedByZernio: true,
    // Numbers are never SIP-trunked here.
    sipTrunkId: null,
    profileId: { _id: row.profileId, name: row.profileName },
    provisionedAt: iso(row.provisionedAt),
    metaPreverifiedId: row.metaPreverifiedId,
    metaVerificationStatus: row.metaVerificationStatus,
    onfidoVerificationUrl: row.onfidoVerificationUrl,
    endUserFirstName: row.endUserFirstName,
    endUserLastName: row.endUserLastName,
    regulatoryDeclineReason: row.regulatoryDeclineReason,
    callingEnabled: row.callingEnabled,
    createdAt: row.createdAt.toISOString(),
  };
}

/** A number on its own: the same fields, `id` first. */
export function presentPhoneNumber(row: PhoneNumberRow): PhoneNumberView {
  const { _id, ...fields } = presentListItem(row);
  return { id: _id, ...fields };
}

/** A bring-your-own number: `accountId` is its social-account id. */
export function presentConnected(row: ConnectedNumberRow): ConnectedNumberView {
  return {
    accountId: row.socialAccountId,
    phoneNumber: row.phoneNumber,
    displayName: row.displayName,
    profileId: row.profileId,
    connectedAt: row.connectedAt.toISOString(),
    callingEnabled: row.callingEnabled,
  };
}

export function presentSandbox(sandbox: AppConfig['sandbox']): SandboxView {
  return {
    phoneNumber: sandbox.phoneNumber,
    accountId: sandbox.accountId,
    template: { name: sandbox.template.name, language: sandbox.template.language },
    isSandbox: true,
  };
}

export function presentCountry(country: CountryOffer): CountryOffer {
  return {
    code: country.code,
    tier: country.tier,
    monthlyCents: country.monthlyCents,
    needsKyc: country.needsKyc,
    outboundCallingAvailable: country.outboundCallingAvailable,
  };
}
