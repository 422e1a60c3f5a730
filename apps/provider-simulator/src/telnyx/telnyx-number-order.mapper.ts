import type { NumberOrderRecord } from '../state/telnyx-order.store';

/** A number order as `POST/GET /v2/number_orders` and `number_order.complete` show it (`NumberOrderWithPhoneNumbers`). */
export function toNumberOrderObject(order: NumberOrderRecord): Record<string, unknown> {
  const met = order.phoneNumbers.every((line) => line.requirementGroupId === null || line.status === 'success');
  return {
    id: order.id,
    record_type: 'number_order',
    phone_numbers: order.phoneNumbers.map((line) => ({
      id: line.id,
      record_type: 'number_order_phone_number',
      phone_number: line.phoneNumber,
      status: line.status,
      country_code: line.countryCode,
      phone_number_type: line.numberType,
      bundle_id: line.bundleId,
      regulatory_requirements: [],
      requirements_met: met,
      requirements_status: line.status === 'failure' ? 'cancelled' : 'approved',
      ...(line.failureReason ? { failure_reason: line.failureReason } : {}),
    })),
    phone_numbers_count: order.phoneNumbers.length,
    connection_id: order.connectionId,
    messaging_profile_id: order.messagingProfileId,
    billing_group_id: order.billingGroupId,
    customer_reference: order.customerReference,
    status: order.status,
    requirements_met: met,
    sub_number_orders_ids: [],
    created_at: order.createdAt,
    updated_at: order.updatedAt,
  };
}
