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

/** What must follow a transition: the jobs it starts and the news it publishes. */
export function followUpsOf(t: AppliedTransition): FollowUps {
  const jobs: JobRequest[] = [];
  if (t.to === 'releasing') jobs.push(jobRequest('release-number', { numberId: t.numberId }));
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
