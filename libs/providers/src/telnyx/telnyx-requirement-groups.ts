import type Telnyx from 'telnyx';
import type { RequirementGroup } from 'telnyx/resources/requirement-groups';
import type {
  NewRequirementGroup,
  RequirementGroupComment,
  RequirementGroupSnapshot,
  RequirementGroupStatus,
  RequirementGroupValue,
} from '../ports/carrier.gateway';
import { ProviderError } from '../provider-error';
import { requireIdempotencyKey } from '../require-idempotency-key';
import { fromTelnyxError } from './telnyx-error.mapper';

const STATUSES: readonly RequirementGroupStatus[] = ['unapproved', 'pending-approval', 'approved', 'declined', 'expired'];

function statusOf(value: string | undefined): RequirementGroupStatus | null {
  return (STATUSES as readonly string[]).includes(value ?? '') ? (value as RequirementGroupStatus) : null;
}

/** A requirement group as the SDK returns it (Telnyx answers these without a `{data}` envelope). */
export function toRequirementGroupSnapshot(group: RequirementGroup): RequirementGroupSnapshot {
  if (!group.id) throw new ProviderError({ provider: 'telnyx', operation: 'requirementGroups', status: 200, code: 'empty_response', retryable: true });
  return {
    id: group.id,
    status: statusOf(group.status) ?? 'unapproved',
    country: group.country_code ?? '',
    numberType: group.phone_number_type ?? '',
    customerReference: group.customer_reference ?? null,
    requirements: (group.regulatory_requirements ?? []).map((requirement) => ({
      requirementId: requirement.requirement_id ?? '',
      value: requirement.field_value ?? null,
      status: statusOf(requirement.status),
    })),
  };
}

async function call<T>(operation: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw fromTelnyxError(error, operation);
  }
}

const values = (requirements: RequirementGroupValue[]) => requirements.map((r) => ({ requirement_id: r.requirementId, field_value: r.value }));

/**
 * The regulatory part of `TelnyxSdkCarrierGateway`, over the SDK's `requirementGroups` and
 * `comments`. Every mutating call sends its key as an `Idempotency-Key` header (the SDK sends
 * none of its own); creation first looks the number's group up by customer reference, because
 * Telnyx does not deduplicate groups and a re-run job comes with a new key.
 */
export async function createRequirementGroup(telnyx: Telnyx, input: NewRequirementGroup, idempotencyKey: string): Promise<RequirementGroupSnapshot> {
  const key = requireIdempotencyKey(idempotencyKey, 'telnyx requirementGroups.create');
  const existing = await call('requirementGroups.list', () =>
    telnyx.requirementGroups.list({ filter: { customer_reference: input.customerReference, action: 'ordering' } }),
  );
  const mine = (Array.isArray(existing) ? existing : []).find(
    (group) => group.customer_reference === input.customerReference && group.country_code === input.country && group.status !== 'expired',
  );
  if (mine) return toRequirementGroupSnapshot(mine);
  const created = await call('requirementGroups.create', () =>
    telnyx.requirementGroups.create(
      {
        action: 'ordering',
        country_code: input.country,
        phone_number_type: input.numberType,
        customer_reference: input.customerReference,
        regulatory_requirements: values(input.requirements),
      },
      { headers: { 'Idempotency-Key': key } },
    ),
  );
  return toRequirementGroupSnapshot(created);
}

export async function getRequirementGroup(telnyx: Telnyx, requirementGroupId: string): Promise<RequirementGroupSnapshot | null> {
  try {
    return toRequirementGroupSnapshot(await telnyx.requirementGroups.retrieve(requirementGroupId));
  } catch (error) {
    const mapped = fromTelnyxError(error, 'requirementGroups.retrieve');
    if (mapped instanceof ProviderError && mapped.status === 404) return null;
    throw mapped;
  }
}

export async function updateRequirementGroup(
  telnyx: Telnyx,
  requirementGroupId: string,
  requirements: RequirementGroupValue[],
  idempotencyKey: string,
): Promise<RequirementGroupSnapshot> {
  const key = requireIdempotencyKey(idempotencyKey, 'telnyx requirementGroups.update');
  const updated = await call('requirementGroups.update', () =>
    telnyx.requirementGroups.update(requirementGroupId, { regulatory_requirements: values(requirements) }, { headers: { 'Idempotency-Key': key } }),
  );
  return toRequirementGroupSnapshot(updated);
}

export async function submitRequirementGroup(telnyx: Telnyx, requirementGroupId: string, idempotencyKey: string): Promise<RequirementGroupSnapshot> {
  const key = requireIdempotencyKey(idempotencyKey, 'telnyx requirementGroups.submitForApproval');
  const current = await call('requirementGroups.retrieve', () => telnyx.requirementGroups.retrieve(requirementGroupId));
  if (current.status === 'pending-approval' || current.status === 'approved') return toRequirementGroupSnapshot(current);
  const submitted = await call('requirementGroups.submitForApproval', () =>
    telnyx.requirementGroups.submitForApproval(requirementGroupId, { headers: { 'Idempotency-Key': key } }),
  );
  return toRequirementGroupSnapshot(submitted);
}

export async function listRequirementGroupComments(telnyx: Telnyx, requirementGroupId: string): Promise<RequirementGroupComment[]> {
  const page = await call('comments.list', () =>
    telnyx.comments.list({ filter: { comment_record_type: 'requirement_group', comment_record_id: requirementGroupId } }),
  );
  return (page.data ?? [])
    .filter((comment) => typeof comment.body === 'string' && comment.body !== '')
    .map((comment) => ({ body: comment.body as string, byReviewer: comment.commenter_type === 'admin', createdAt: comment.created_at ?? null }))
    .sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? ''));
}
