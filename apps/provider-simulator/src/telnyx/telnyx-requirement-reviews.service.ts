import type { RequirementGroupRecord, ReviewVerdict, TelnyxRequirementGroupStore } from '../state/telnyx-requirement-group.store';
import type { TelnyxEvents } from './telnyx-events';
import { toRequirementGroupObject } from './telnyx-requirement-group.mapper';

/** The webhook Telnyx sends when a requirement group's status changes. */
export const REQUIREMENT_GROUP_STATUS_EVENT = 'requirement_group.status_updated';

export class ReviewNotPendingError extends Error {
  constructor(readonly group: RequirementGroupRecord) {
    super(`requirement group ${group.id} is ${group.status}, not pending-approval`);
  }
}

export class UnknownRequirementsError extends Error {
  constructor(readonly requirementIds: string[]) {
    super(`not requirements of the group: ${requirementIds.join(', ')}`);
  }
}

/**
 * The carrier's regulatory review. A submission puts the group and its unapproved requirements
 * `pending-approval` and takes the reviewer's next armed verdict, decided after the review delay;
 * without one the group waits for `decide` (the control API). Approval approves every
 * requirement; a decline flags the requirements at fault (all when none is named), leaves the
 * reason as a reviewer (`admin`) comment on the group, and both send
 * `requirement_group.status_updated` with the group.
 */
export class TelnyxRequirementReviews {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly groups: TelnyxRequirementGroupStore,
    private readonly events: TelnyxEvents,
  ) {}

  /** Submits the group for review; one already under review or approved is left as it is. */
  submit(group: RequirementGroupRecord): RequirementGroupRecord {
    if (group.status === 'pending-approval' || group.status === 'approved') return group;
    const now = new Date().toISOString();
    group.status = 'pending-approval';
    group.submissions += 1;
    group.updatedAt = now;
    for (const requirement of group.requirements) {
      if (requirement.status !== 'approved') Object.assign(requirement, { status: 'pending-approval', updatedAt: now });
    }
    const verdict = this.groups.takeVerdict();
    if (verdict.verdict !== 'pending') {
      const submission = group.submissions;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        // A group changed or resubmitted meanwhile is not decided on an old submission.
        if (this.groups.get(group.id) !== group || group.status !== 'pending-approval' || group.submissions !== submission) return;
        try {
          this.decide(group, verdict);
        } catch (error) {
          // A scripted verdict naming another group's requirements: the group stays under review,
          // and the script's mistake is said, not thrown in a timer (which would end the simulator).
          if (!(error instanceof UnknownRequirementsError)) throw error;
          process.stderr.write(`requirement group ${group.id} left under review: the scripted verdict names ${error.message}\n`);
        }
      }, this.groups.reviewDelayMs);
      this.timers.add(timer);
    }
    return group;
  }

  /** The reviewer's verdict on a group under review. */
  decide(group: RequirementGroupRecord, verdict: Exclude<ReviewVerdict, { verdict: 'pending' }>): RequirementGroupRecord {
    if (group.status !== 'pending-approval') throw new ReviewNotPendingError(group);
    const now = new Date().toISOString();
    if (verdict.verdict === 'approve') {
      group.status = 'approved';
      for (const requirement of group.requirements) Object.assign(requirement, { status: 'approved', updatedAt: now });
    } else {
      const unknown = verdict.fields.filter((id) => !group.requirements.some((r) => r.requirementId === id));
      if (unknown.length > 0) throw new UnknownRequirementsError(unknown);
      const atFault = new Set(verdict.fields.length > 0 ? verdict.fields : group.requirements.map((r) => r.requirementId));
      group.status = 'declined';
      for (const requirement of group.requirements) {
        Object.assign(requirement, { status: atFault.has(requirement.requirementId) ? 'declined' : 'approved', updatedAt: now });
      }
      this.groups.addComment({
        body: verdict.reason,
        commentRecordId: group.id,
        commentRecordType: 'requirement_group',
        commenter: 'regulatory@telnyx.com',
        commenterType: 'admin',
      });
    }
    group.updatedAt = now;
    this.events.send(REQUIREMENT_GROUP_STATUS_EVENT, toRequirementGroupObject(group));
    return group;
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
