import type { MetaNumberRecord } from '../state/meta.store';

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
    throughput: { level: 'STANDARD' },
  };
}

/** Graph's `fields=a,b` selection; `id` is always returned. */
export function selectFields(object: Record<string, unknown>, fields: string | undefined): Record<string, unknown> {
  if (!fields) return object;
  const wanted = new Set(['id', ...fields.split(',').map((field) => field.trim())]);
  return Object.fromEntries(Object.entries(object).filter(([key]) => wanted.has(key)));
}
