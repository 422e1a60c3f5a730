import { catalogRequirementType } from '../state/telnyx-regulatory-records.store';
import type { CommentRecord, RequirementGroupRecord } from '../state/telnyx-requirement-group.store';

/**
 * A requirement group as `/v2/requirement_groups` answers it (the SDK's `RequirementGroup`:
 * Telnyx sends these bare, without `{data}`), and as `requirement_group.status_updated` carries it.
 */
export function toRequirementGroupObject(group: RequirementGroupRecord): Record<string, unknown> {
  return {
    id: group.id,
    record_type: 'requirement_group',
    action: group.action,
    country_code: group.countryCode,
    phone_number_type: group.phoneNumberType,
    customer_reference: group.customerReference,
    status: group.status,
    regulatory_requirements: group.requirements.map((requirement) => ({
      requirement_id: requirement.requirementId,
      // The requirement type's kind (`address`, `document`, `textual`); a requirement outside the catalog is taken as text.
      field_type: catalogRequirementType(requirement.requirementId)?.type ?? 'textual',
      field_value: requirement.fieldValue,
      status: requirement.status,
      created_at: requirement.createdAt,
      updated_at: requirement.updatedAt,
      expires_at: null,
    })),
    created_at: group.createdAt,
    updated_at: group.updatedAt,
  };
}

/** A comment as `/v2/comments` answers it (the SDK's `Comment`). */
export function toCommentObject(comment: CommentRecord): Record<string, unknown> {
  return {
    id: comment.id,
    record_type: 'comment',
    body: comment.body,
    comment_record_id: comment.commentRecordId,
    comment_record_type: comment.commentRecordType,
    commenter: comment.commenter,
    commenter_type: comment.commenterType,
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    read_at: comment.readAt,
  };
}
