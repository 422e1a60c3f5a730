import type { TelnyxNumberRecord } from '../state/telnyx.store';

/** A number as Telnyx's `GET /v2/phone_numbers/:id` returns it (`NumbersPhoneNumberDetailed`). */
export function toTelnyxPhoneNumber(record: TelnyxNumberRecord): Record<string, unknown> {
  return {
    id: record.id,
    record_type: 'phone_number',
    phone_number: record.phoneNumber,
    status: record.status,
    country_iso_alpha2: record.countryIso,
    phone_number_type: record.phoneNumberType,
    tags: record.tags,
    external_pin: null,
    connection_id: record.connectionId,
    connection_name: null,
    customer_reference: record.customerReference,
    messaging_profile_id: record.messagingProfileId,
    messaging_profile_name: null,
    billing_group_id: null,
    emergency_enabled: false,
    emergency_address_id: null,
    emergency_status: 'disabled',
    call_forwarding_enabled: true,
    cnam_listing_enabled: false,
    caller_id_name_enabled: false,
    call_recording_enabled: false,
    t38_fax_gateway_enabled: false,
    hd_voice_enabled: false,
    inbound_call_screening: 'disabled',
    deletion_lock_enabled: false,
    source_type: 'number_order',
    messaging_campaign_id: null,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    purchased_at: record.purchasedAt,
    activated_at: record.activatedAt,
  };
}

/** Fields the detailed record has and the deleted representation does not. */
const NOT_IN_DELETED = new Set(['country_iso_alpha2', 'emergency_status', 'inbound_call_screening', 'source_type', 'messaging_campaign_id']);

/** The final representation `DELETE /v2/phone_numbers/:id` answers with (`PhoneNumberDeleteResponse.Data`). */
export function toTelnyxDeletedPhoneNumber(record: TelnyxNumberRecord): Record<string, unknown> {
  return Object.fromEntries(Object.entries(toTelnyxPhoneNumber(record)).filter(([key]) => !NOT_IN_DELETED.has(key)));
}
