import type { NumberStatus } from '@numbers/contracts';
import type { LifecycleEvent } from './lifecycle-events';

/** Every state a number can leave for `releasing`: all but the terminal ones. */
const RELEASABLE: NumberStatus[] = [
  'pending_payment',
  'provisioning',
  'pending_regulatory',
  'regulatory_declined',
  'verifying',
  'active',
  'suspended',
];

function from(states: NumberStatus[], to: NumberStatus): Partial<Record<NumberStatus, NumberStatus>> {
  return Object.fromEntries(states.map((state) => [state, to]));
}

/**
 * The number lifecycle as one table: event -> (current state -> next state). A pair that is
 * not here does not fit: the event changes nothing and is recorded as not applied.
 */
export const TRANSITIONS: Record<LifecycleEvent, Partial<Record<NumberStatus, NumberStatus>>> = {
  // Paid at Checkout (first number), or added to the existing subscription (later numbers).
  payment_confirmed: { pending_payment: 'provisioning' },
  // Nothing was ordered or charged yet: the number ends without passing through releasing.
  checkout_expired: { pending_payment: 'released' },
  regulatory_review_started: { provisioning: 'pending_regulatory' },
  regulatory_declined: { pending_regulatory: 'regulatory_declined' },
  remediation_submitted: { regulatory_declined: 'pending_regulatory' },
  // The carrier order is placed (directly, or once the regulator approved).
  number_ordered: from(['provisioning', 'pending_regulatory'], 'verifying'),
  whatsapp_verified: { verifying: 'active' },
  // Meta says the number we picked belongs to another WhatsApp account: it is given back at the
  // carrier and another is ordered (back to provisioning, whose follow-up orders).
  registration_conflicted: { verifying: 'provisioning' },
  payment_failed: { active: 'suspended' },
  payment_recovered: { suspended: 'active' },
  release_requested: from(RELEASABLE, 'releasing'),
  subscription_ended: from(RELEASABLE, 'releasing'),
  // A step that can never succeed: undo what the carrier and Meta have, then end the number.
  provisioning_failed: from(['provisioning', 'pending_regulatory', 'regulatory_declined', 'verifying'], 'releasing'),
  release_completed: { releasing: 'released' },
};
