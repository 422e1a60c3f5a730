import { randomUUID } from 'node:crypto';
import type { TelnyxNumberType } from './telnyx.store';

export type RequirementGroupStatus = 'unapproved' | 'pending-approval' | 'approved' | 'declined' | 'expired';

export interface RequirementRecord {
  requirementId: string;
  fieldValue: string | null;
  status: RequirementGroupStatus;
  createdAt: string;
  updatedAt: string;
}

export interface RequirementGroupRecord {
  id: string;
  action: 'ordering' | 'porting';
  countryCode: string;
  phoneNumberType: TelnyxNumberType | 'shared_cost';
  customerReference: string | null;
  status: RequirementGroupStatus;
  requirements: RequirementRecord[];
  /** How many times it was submitted for approval. */
  submissions: number;
  createdAt: string;
  updatedAt: string;
}

/** A comment on a record (Telnyx's `/v2/comments`): the reviewer says why a group was declined. */
export interface CommentRecord {
  id: string;
  body: string;
  commentRecordId: string;
  commentRecordType: 'requirement_group' | 'sub_number_order';
  commenter: string;
  commenterType: 'admin' | 'user';
  createdAt: string;
  updatedAt: string;
  readAt: string | null;
}

/** What the reviewer decides on a submitted group. `pending`: nothing until the control API decides. */
export type ReviewVerdict = { verdict: 'approve' } | { verdict: 'decline'; reason: string; fields: string[] } | { verdict: 'pending' };

/** The countries whose numbers need an approved requirement group to be ordered (as in the reference data). */
export const DEFAULT_KYC_COUNTRIES = ['DE', 'FR', 'BR', 'AU'] as const;

export interface NewRequirementGroup {
  action: RequirementGroupRecord['action'];
  countryCode: string;
  phoneNumberType: RequirementGroupRecord['phoneNumberType'];
  customerReference: string | null;
  requirements: { requirementId: string; fieldValue: string | null }[];
}

/**
 * Telnyx requirement groups and their comments, the countries that need one to order a number,
 * and the reviewer's scripted verdicts: the next submissions take the armed verdicts in turn
 * (`POST /_sim/telnyx/requirement-groups/next-review`), the others stay `pending-approval`
 * until decided one by one.
 */
export class TelnyxRequirementGroupStore {
  private readonly groups = new Map<string, RequirementGroupRecord>();
  private readonly comments: CommentRecord[] = [];
  private readonly kycCountries = new Set<string>(DEFAULT_KYC_COUNTRIES);
  private readonly armed: ReviewVerdict[] = [];
  /** Wait between a submission and an armed verdict; 0 decides right after the answer. */
  reviewDelayMs = 0;

  create(input: NewRequirementGroup): RequirementGroupRecord {
    const now = new Date().toISOString();
    const group: RequirementGroupRecord = {
      id: randomUUID(),
      action: input.action,
      countryCode: input.countryCode,
      phoneNumberType: input.phoneNumberType,
      customerReference: input.customerReference,
      status: 'unapproved',
      requirements: input.requirements.map((r) => ({ ...r, status: 'unapproved', createdAt: now, updatedAt: now })),
      submissions: 0,
      createdAt: now,
      updatedAt: now,
    };
    this.groups.set(group.id, group);
    return group;
  }

  get(id: string): RequirementGroupRecord | undefined {
    return this.groups.get(id);
  }

  /** Oldest first. */
  list(filter: { countryCode?: string; phoneNumberType?: string; action?: string; status?: string; customerReference?: string } = {}): RequirementGroupRecord[] {
    return [...this.groups.values()].filter(
      (group) =>
        (filter.countryCode === undefined || group.countryCode === filter.countryCode) &&
        (filter.phoneNumberType === undefined || group.phoneNumberType === filter.phoneNumberType) &&
        (filter.action === undefined || group.action === filter.action) &&
        (filter.status === undefined || group.status === filter.status) &&
        (filter.customerReference === undefined || group.customerReference === filter.customerReference),
    );
  }

  /** New values for some requirements (added when the group has none by that id); each is unapproved again. */
  setValues(group: RequirementGroupRecord, values: { requirementId: string; fieldValue: string | null }[]): void {
    const now = new Date().toISOString();
    for (const value of values) {
      const current = group.requirements.find((r) => r.requirementId === value.requirementId);
      if (current) Object.assign(current, { fieldValue: value.fieldValue, status: 'unapproved', updatedAt: now });
      else group.requirements.push({ ...value, status: 'unapproved', createdAt: now, updatedAt: now });
    }
    group.updatedAt = now;
  }

  addComment(input: Pick<CommentRecord, 'body' | 'commentRecordId' | 'commentRecordType' | 'commenter' | 'commenterType'>): CommentRecord {
    const now = new Date().toISOString();
    const comment: CommentRecord = { ...input, id: randomUUID(), createdAt: now, updatedAt: now, readAt: null };
    this.comments.push(comment);
    return comment;
  }

  getComment(id: string): CommentRecord | undefined {
    return this.comments.find((comment) => comment.id === id);
  }

  /** Oldest first. */
  listComments(filter: { commentRecordId?: string; commentRecordType?: string } = {}): CommentRecord[] {
    return this.comments.filter(
      (comment) =>
        (filter.commentRecordId === undefined || comment.commentRecordId === filter.commentRecordId) &&
        (filter.commentRecordType === undefined || comment.commentRecordType === filter.commentRecordType),
    );
  }

  needsRequirementGroup(countryCode: string): boolean {
    return this.kycCountries.has(countryCode.toUpperCase());
  }

  setNeedsRequirementGroup(countryCode: string, required: boolean): void {
    if (required) this.kycCountries.add(countryCode.toUpperCase());
    else this.kycCountries.delete(countryCode.toUpperCase());
  }

  countriesNeedingRequirementGroups(): string[] {
    return [...this.kycCountries].sort();
  }

  /** The next `times` submissions get this verdict (after the ones armed before). */
  arm(verdict: ReviewVerdict, times: number): void {
    for (let i = 0; i < times; i++) this.armed.push(verdict);
  }

  /** The verdict of the next submission: the first armed one, else pending. */
  takeVerdict(): ReviewVerdict {
    return this.armed.shift() ?? { verdict: 'pending' };
  }

  armedVerdicts(): ReviewVerdict[] {
    return [...this.armed];
  }

  clear(): void {
    this.groups.clear();
    this.comments.length = 0;
    this.kycCountries.clear();
    for (const country of DEFAULT_KYC_COUNTRIES) this.kycCountries.add(country);
    this.armed.length = 0;
    this.reviewDelayMs = 0;
  }
}
