import { NUMBER_STATUSES, type NumberStatus } from '@numbers/contracts';

/** How long a declined registration stays in the provisioning view. */
export const DECLINED_VISIBLE_DAYS = 30;

export interface ListView {
  statuses: NumberStatus[];
  /** Also numbers that became regulatory_declined at or after this instant. */
  declinedSince?: Date;
  /** Whether bring-your-own numbers belong in `connected[]`. */
  includeConnected: boolean;
}

/** SPEC "List semantics": which numbers a `status` filter selects. */
export function listViewFor(status: NumberStatus | undefined, now: Date): ListView {
  if (status === undefined) {
    return { statuses: NUMBER_STATUSES.filter((s) => s !== 'released'), includeConnected: true };
  }
  if (status === 'pending_regulatory') {
    const declinedSince = new Date(now.getTime() - DECLINED_VISIBLE_DAYS * 24 * 3600 * 1000);
    return { statuses: ['pending_regulatory'], declinedSince, includeConnected: false };
  }
  return { statuses: [status], includeConnected: status === 'active' };
}
