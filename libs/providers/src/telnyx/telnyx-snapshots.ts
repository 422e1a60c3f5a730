import type { AvailablePhoneNumberListResponse } from 'telnyx/resources/available-phone-numbers';
import type { NumberOrderWithPhoneNumbers } from 'telnyx/resources/number-orders';
import type { AvailableNumber, NumberOrderSnapshot, NumberOrderStatus } from '../ports/carrier.gateway';

/** Telnyx SDK objects reduced to the port's snapshots. */
export function toAvailableNumber(entry: AvailablePhoneNumberListResponse.Data, country: string): AvailableNumber {
  const region = (type: string) => entry.region_information?.find((info) => info.region_type === type)?.region_name ?? null;
  return {
    phoneNumber: entry.phone_number ?? '',
    country: region('country_code') ?? country,
    locality: region('location') ?? region('rate_center'),
    region: region('state'),
    features: (entry.features ?? []).map((feature) => feature.name ?? '').filter(Boolean),
    monthlyCost: entry.cost_information?.monthly_cost ?? null,
    upfrontCost: entry.cost_information?.upfront_cost ?? null,
    currency: entry.cost_information?.currency ?? null,
  };
}

export function toOrderSnapshot(order: NumberOrderWithPhoneNumbers): NumberOrderSnapshot {
  return {
    orderId: order.id ?? '',
    status: statusOf(order.status),
    customerReference: order.customer_reference ?? null,
    phoneNumbers: (order.phone_numbers ?? []).map((line) => ({
      id: line.id ?? null,
      phoneNumber: line.phone_number ?? '',
      status: statusOf(line.status),
      failureReason: typeof (line as { failure_reason?: unknown }).failure_reason === 'string' ? (line as { failure_reason: string }).failure_reason : null,
    })),
  };
}

/**
 * The order a `number_order.complete` webhook carries (the same object as the API's): signed,
 * verified, and sent once the order is final, so it can be settled from without reading it back.
 */
export function orderSnapshotOfEvent(payload: Record<string, unknown>): NumberOrderSnapshot {
  return toOrderSnapshot(payload as NumberOrderWithPhoneNumbers);
}

function statusOf(status: string | undefined): NumberOrderStatus {
  return status === 'success' || status === 'failure' ? status : 'pending';
}
