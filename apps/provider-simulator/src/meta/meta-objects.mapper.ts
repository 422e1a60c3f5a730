import type { MetaBusinessAccountRecord, MetaNumberRecord } from '../state/meta.store';

/** A WhatsApp Business phone number as `GET /{phone-number-id}` returns it. */
export function toGraphPhoneNumber(record: MetaNumberRecord): Record<string, unknown> {
  return {
    id: record.id,
    display_phone_number: record.displayPhoneNumber,
    verified_name: record.verifiedName,
    code_verification_status: record.codeVerificationStatus,
    quality_rating: record.qualityRating,
    platform_type: record.registered ? 'CLOUD_API' : 'NOT_APPLICABLE',
    status: record.registered ? 'CONNECTED' : record.deregisteredAt ? 'DISCONNECTED' : 'PENDING',
    name_status: 'APPROVED',
    messaging_limit_tier: record.messagingLimitTier,
    throughput: { level: 'STANDARD' },
    is_official_business_account: false,
    health_status: numberHealth(record),
  };
}

/** A WhatsApp Business Account as `GET /{waba-id}` returns it. */
export function toGraphBusinessAccount(account: MetaBusinessAccountRecord): Record<string, unknown> {
  return {
    id: account.id,
    name: account.name,
    business_verification_status: account.businessVerificationStatus,
    timezone_id: account.timezoneId,
    health_status: { can_send_message: 'AVAILABLE', entities: [{ entity_type: 'WABA', id: account.id, can_send_message: 'AVAILABLE' }] },
  };
}

/**
 * Meta's messaging and calling health of a number ("Messaging and Calling Health Status", WhatsApp
 * Business Platform docs): the overall verdict and one entity per node involved. A number not
 * registered for the Cloud API cannot send (Cloud API error 133010).
 */
function numberHealth(record: MetaNumberRecord): Record<string, unknown> {
  const phone = record.registered
    ? { entity_type: 'PHONE_NUMBER', id: record.id, can_send_message: 'AVAILABLE' }
    : {
        entity_type: 'PHONE_NUMBER',
        id: record.id,
        can_send_message: 'BLOCKED',
        errors: [{ error_code: 133010, error_description: 'The phone number is not registered on the WhatsApp Business Platform.', possible_solution: 'Register the phone number.' }],
      };
  const waba = record.wabaId ? [{ entity_type: 'WABA', id: record.wabaId, can_send_message: 'AVAILABLE' }] : [];
  return { can_send_message: phone.can_send_message, entities: [phone, ...waba] };
}

/** Graph's `fields=a,b` selection; `id` is always returned. */
export function selectFields(object: Record<string, unknown>, fields: string | undefined): Record<string, unknown> {
  if (!fields) return object;
  const wanted = new Set(['id', ...fields.split(',').map((field) => field.trim())]);
  return Object.fromEntries(Object.entries(object).filter(([key]) => wanted.has(key)));
}
