import type { NumberEventPayload, NumberEventType, NumberStatus } from '@numbers/contracts';
import { newId } from '../ids/ids';

/**
 * The customer event a number's state change sends, if any (SPEC "Webhooks out"):
 *
 * - `verifying` → `active`: `activated` (first activation); `suspended` → `active`: `reactivated`;
 * - → `suspended`: `suspended` (a payment failed);
 * - → `pending_regulatory`: `kyc_submitted` (the identity documents went to the regulator,
 *   first time or after a remediation);
 * - → `regulatory_declined`: `declined`, with the reviewer's reason: the customer remediates;
 * - → `released`: `released` (whatever led there: a release, a lapsed checkout, a failed order).
 *
 * One state change sends at most one event. `action_required` is subscribable (the SDK names
 * it) but no state of today's lifecycle waits on the customer other than a decline, which is
 * `declined`.
 */
export function numberEventTypeOf(from: NumberStatus, to: NumberStatus): NumberEventType | null {
  switch (to) {
    case 'active':
      if (from === 'verifying') return 'whatsapp.number.activated';
      if (from === 'suspended') return 'whatsapp.number.reactivated';
      return null;
    case 'suspended':
      return 'whatsapp.number.suspended';
    case 'pending_regulatory':
      return 'whatsapp.number.kyc_submitted';
    case 'regulatory_declined':
      return 'whatsapp.number.declined';
    case 'released':
      return 'whatsapp.number.released';
    default:
      return null;
  }
}

/** The number as it is after the change: what the event shows. */
export interface NumberEventSubject {
  id: string;
  accountId: string;
  profileId: string;
  phoneNumber: string | null;
  country: string;
  status: NumberStatus;
  regulatoryDeclineReason: string | null;
}

/** The event of a number's change from `from` to `subject.status` at `at`, or null when it sends none. */
export function numberEventOf(from: NumberStatus, subject: NumberEventSubject, at: Date): NumberEventPayload | null {
  const event = numberEventTypeOf(from, subject.status);
  if (!event) return null;
  return {
    id: newId(at),
    event,
    phoneNumber: {
      id: subject.id,
      phoneNumber: subject.phoneNumber,
      status: subject.status,
      country: subject.country,
      profileId: subject.profileId,
      ...(subject.status === 'regulatory_declined' && subject.regulatoryDeclineReason ? { regulatoryDeclineReason: subject.regulatoryDeclineReason } : {}),
    },
    account: { id: subject.accountId, accountId: subject.accountId, profileId: subject.profileId },
    timestamp: at.toISOString(),
  };
}
