/** What can happen to a hosted number. Each is applied through the transition table. */
export const LIFECYCLE_EVENTS = [
  'payment_confirmed',
  'checkout_expired',
  'regulatory_review_started',
  'regulatory_declined',
  'remediation_submitted',
  'number_ordered',
  'whatsapp_verified',
  'registration_conflicted',
  'payment_failed',
  'payment_recovered',
  'release_requested',
  'subscription_ended',
  'provisioning_failed',
  'release_completed',
] as const;

export type LifecycleEvent = (typeof LIFECYCLE_EVENTS)[number];
