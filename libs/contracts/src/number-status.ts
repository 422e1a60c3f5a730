/** The nine states of a hosted number (SPEC "The number lifecycle"); mirrors the Prisma enum. */
export const NUMBER_STATUSES = [
  'pending_payment',
  'provisioning',
  'pending_regulatory',
  'regulatory_declined',
  'verifying',
  'active',
  'suspended',
  'releasing',
  'released',
] as const;

export type NumberStatus = (typeof NUMBER_STATUSES)[number];

export function isNumberStatus(value: string): value is NumberStatus {
  return (NUMBER_STATUSES as readonly string[]).includes(value);
}
