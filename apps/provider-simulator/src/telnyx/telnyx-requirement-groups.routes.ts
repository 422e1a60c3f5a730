import type { FastifyInstance } from 'fastify';
import { ProviderReplyError } from '../shared/provider-reply';
import type { RequirementGroupRecord } from '../state/telnyx-requirement-group.store';
import type { SimulatorContext } from '../simulator.context';
import { telnyxError, telnyxNotFound } from './telnyx-errors';
import { toCommentObject, toRequirementGroupObject } from './telnyx-requirement-group.mapper';
import { paginate } from './telnyx-pagination';
import { checkRequirementsMet, checkRequirementValues } from './telnyx-requirement-references';
import { queryString, telnyxQuery } from './telnyx-query';

type ById = { Params: { id: string } };

const ACTIONS = ['ordering', 'porting'] as const;
const NUMBER_TYPES = ['local', 'toll_free', 'mobile', 'national', 'shared_cost'] as const;

/**
 * Requirement groups (`/v2/requirement_groups`: list with `filter[country_code|phone_number_type|
 * action|status|customer_reference]`, create, retrieve, update, `:id/submit_for_approval`) in
 * Telnyx's wire format, which answers these bare (no `{data}` envelope); and the comments on them
 * (`/v2/comments?filter[comment_record_type]=&filter[comment_record_id]=`, `/v2/comments/:id`),
 * where the reviewer says why a group was declined. The values are checked against the
 * requirements catalog, addresses and documents (`checkRequirementValues`), and a group is
 * submitted only with every requirement met.
 */
export function registerTelnyxRequirementGroupRoutes(app: FastifyInstance, { state, services }: SimulatorContext): void {
  const groups = state.telnyxRequirementGroups;
  const found = (id: string): RequirementGroupRecord => {
    const group = groups.get(id);
    if (!group) throw telnyxNotFound();
    return group;
  };

  app.get('/requirement_groups', async (request) => {
    const query = telnyxQuery(request);
    const filter = (key: string) => queryString(query, 'filter', key);
    return groups
      .list({
        countryCode: filter('country_code')?.toUpperCase(),
        phoneNumberType: filter('phone_number_type'),
        action: filter('action'),
        status: filter('status'),
        customerReference: filter('customer_reference'),
      })
      .map(toRequirementGroupObject);
  });

  app.post('/requirement_groups', async (request) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (!(ACTIONS as readonly unknown[]).includes(body.action)) throw invalid('action', `action must be one of ${ACTIONS.join(', ')}.`);
    if (typeof body.country_code !== 'string' || !/^[A-Za-z]{2}$/.test(body.country_code)) {
      throw invalid('country_code', 'country_code must be an ISO 3166-1 alpha-2 code.');
    }
    if (!(NUMBER_TYPES as readonly unknown[]).includes(body.phone_number_type)) {
      throw invalid('phone_number_type', `phone_number_type must be one of ${NUMBER_TYPES.join(', ')}.`);
    }
    const countryCode = body.country_code.toUpperCase();
    const phoneNumberType = body.phone_number_type as RequirementGroupRecord['phoneNumberType'];
    const requirements = requirementValues(body.regulatory_requirements);
    checkRequirementValues(state.telnyxRegulatoryRecords, { countryCode, phoneNumberType }, requirements);
    const group = groups.create({
      action: body.action as RequirementGroupRecord['action'],
      countryCode,
      phoneNumberType,
      customerReference: typeof body.customer_reference === 'string' && body.customer_reference !== '' ? body.customer_reference : null,
      requirements,
    });
    return toRequirementGroupObject(group);
  });

  app.get<ById>('/requirement_groups/:id', async (request) => toRequirementGroupObject(found(request.params.id)));

  app.patch<ById>('/requirement_groups/:id', async (request) => {
    const group = found(request.params.id);
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (group.status === 'approved') {
      throw new ProviderReplyError(telnyxError(422, '10015', 'Invalid requirement group', 'An approved requirement group cannot be changed.'));
    }
    if (body.customer_reference !== undefined) {
      if (typeof body.customer_reference !== 'string') throw invalid('customer_reference', 'customer_reference must be a string.');
      group.customerReference = body.customer_reference === '' ? null : body.customer_reference;
    }
    if (body.regulatory_requirements !== undefined) {
      const values = requirementValues(body.regulatory_requirements);
      checkRequirementValues(state.telnyxRegulatoryRecords, group, values);
      groups.setValues(group, values);
    }
    group.updatedAt = new Date().toISOString();
    return toRequirementGroupObject(group);
  });

  app.post<ById>('/requirement_groups/:id/submit_for_approval', async (request) => {
    const group = found(request.params.id);
    if (group.requirements.length === 0) {
      throw new ProviderReplyError(telnyxError(422, '10015', 'Invalid requirement group', 'The requirement group has no requirement values to review.'));
    }
    checkRequirementsMet(state.telnyxRegulatoryRecords, group);
    return toRequirementGroupObject(services.requirementReviews.submit(group));
  });

  app.get('/comments', async (request) => {
    const query = telnyxQuery(request);
    const comments = groups.listComments({
      commentRecordId: queryString(query, 'filter', 'comment_record_id'),
      commentRecordType: queryString(query, 'filter', 'comment_record_type'),
    });
    return paginate(comments.map(toCommentObject), query);
  });

  app.get<ById>('/comments/:id', async (request) => {
    const comment = groups.getComment(request.params.id);
    if (!comment) throw telnyxNotFound();
    return { data: toCommentObject(comment) };
  });
}

function requirementValues(value: unknown): { requirementId: string; fieldValue: string | null }[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid('regulatory_requirements', 'regulatory_requirements must be an array.');
  return value.map((entry: unknown, i) => {
    const requirement = (entry ?? {}) as Record<string, unknown>;
    if (typeof requirement.requirement_id !== 'string' || requirement.requirement_id === '') {
      throw invalid(`regulatory_requirements/${i}/requirement_id`, 'requirement_id is required.');
    }
    if (requirement.field_value !== undefined && requirement.field_value !== null && typeof requirement.field_value !== 'string') {
      throw invalid(`regulatory_requirements/${i}/field_value`, 'field_value must be a string.');
    }
    return { requirementId: requirement.requirement_id, fieldValue: (requirement.field_value as string | null | undefined) ?? null };
  });
}

function invalid(pointer: string, detail: string): ProviderReplyError {
  const reply = telnyxError(422, '10015', 'Invalid value for parameter', detail);
  (reply.body as { errors: Record<string, unknown>[] }).errors[0].source = { pointer: `/${pointer}` };
  return new ProviderReplyError(reply);
}
