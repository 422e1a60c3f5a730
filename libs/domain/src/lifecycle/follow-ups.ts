import { jobRequest, type EventRequest, type JobRequest, type NumberStatus } from '@numbers/contracts';
import type { LifecycleEvent } from './lifecycle-events';
import { isBillable } from './billable';

export interface AppliedTransition {
  numberId: string;
  accountId: string;
  paidFirst: boolean;
  from: NumberStatus;
  to: NumberStatus;
  event: LifecycleEvent;
  at: Date;
}

export interface FollowUps {
  jobs: JobRequest[];
  events: EventRequest[];
}

/**
 * What must follow a transition: the jobs it starts and the news it publishes.
 *
 * - entering `provisioning` (paid for): order the number from the carrier;
 * - entering `verifying` (the carrier's number is ours): register it on WhatsApp;
 * - `verifying` → `active` (first activation, not a recovery from `suspended`): billing starts;
 * - entering `releasing`: release it at Meta and the carrier;
 * - `pending_payment` → `releasing` (released by the customer, or the subscription ended before
 *   the first payment): expire its Checkout Session at Stripe, so it can no longer be paid (the
 *   job finds nothing to do when the number has no session or it is closed already). The other
 *   unpaid end, `checkout_expired` (→ released), needs nothing: Stripe expired the session, or
 *   none was ever created;
 * - billable or not changed (`isBillable`): converge the subscription quantity. That job reads
 *   which numbers left after billing had started for them, so it needs no hint here.
 */
export function followUpsOf(t: AppliedTransition): FollowUps {
  const jobs: JobRequest[] = [];
  if (t.to === 'provisioning') jobs.push(jobRequest('order-number', { numberId: t.numberId }));
  if (t.to === 'verifying') jobs.push(jobRequest('register-whatsapp', { numberId: t.numberId }));
  if (t.from === 'verifying' && t.to === 'active') jobs.push(jobRequest('start-billing', { numberId: t.numberId }));
  if (t.to === 'releasing') jobs.push(jobRequest('release-number', { numberId: t.numberId }));
  if (t.from === 'pending_payment' && t.to === 'releasing') jobs.push(jobRequest('expire-checkout-session', { numberId: t.numberId }));
  if (isBillable(t.from, t.paidFirst) !== isBillable(t.to, t.paidFirst)) {
    jobs.push(jobRequest('sync-subscription-quantity', { accountId: t.accountId, cause: `${t.event}:${t.numberId}` }));
  }
  const events: EventRequest[] = [
    {
      name: 'number.status_changed',
      payload: {
        numberId: t.numberId,
        accountId: t.accountId,
        from: t.from,
        to: t.to,
        event: t.event,
        at: t.at.toISOString(),
      },
    },
  ];
  return { jobs, events };
}
