import type { NumberStatus } from '@numbers/contracts';

const BEING_PROVISIONED: NumberStatus[] = ['provisioning', 'pending_regulatory', 'regulatory_declined', 'verifying'];

/**
 * Whether a number counts in the account's Stripe subscription quantity: active and suspended
 * numbers, plus a number paid for at checkout while it is being provisioned (its paid-first slot).
 */
export function isBillable(status: NumberStatus, paidFirst: boolean): boolean {
  if (status === 'active' || status === 'suspended') return true;
  return paidFirst && BEING_PROVISIONED.includes(status);
}
