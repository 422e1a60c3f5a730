import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SimulatorContext } from '../simulator.context';
import type { ReviewVerdict } from '../state/telnyx-requirement-group.store';
import { toRequirementGroupObject } from '../telnyx/telnyx-requirement-group.mapper';
import { ReviewNotPendingError, UnknownRequirementsError } from '../telnyx/telnyx-requirement-reviews.service';
import { parseControlInput } from './control.schemas';

const fields = z.array(z.string().min(1)).max(50).default([]);

/** A verdict: approve, or decline with the reviewer's reason and the requirements at fault (all when none). */
const decisionSchema = z.discriminatedUnion('verdict', [
  z.object({ verdict: z.literal('approve') }),
  z.object({ verdict: z.literal('decline'), reason: z.string().trim().min(1).max(1000), fields }),
]);

/** `POST /_sim/telnyx/requirement-groups/next-review`: the verdict of the next `times` submissions. */
export const nextReviewSchema = z
  .discriminatedUnion('verdict', [
    z.object({ verdict: z.literal('approve') }),
    z.object({ verdict: z.literal('decline'), reason: z.string().trim().min(1).max(1000), fields }),
    z.object({ verdict: z.literal('pending') }),
  ])
  .and(z.object({ times: z.number().int().min(1).max(1000).default(1) }));

/** `PUT /_sim/telnyx/requirement-groups/review-policy`. */
export const reviewPolicySchema = z.object({ delayMs: z.number().int().min(0).max(600_000) });

/** `PUT /_sim/telnyx/countries/:code/kyc`. */
export const countryKycSchema = z.object({ required: z.boolean() });

type ById = { Params: { id: string } };
type ByCountry = { Params: { code: string } };

/**
 * The regulatory reviewer: `POST /_sim/telnyx/requirement-groups/:id/review {verdict:'approve'} |
 * {verdict:'decline', reason, fields?}` decides a group under review now (404 unknown, 409 not
 * under review, 400 a field that is not one of its requirements);
 * `POST /_sim/telnyx/requirement-groups/next-review {verdict, reason?, fields?, times?}` scripts the
 * verdict of the next submissions (`pending`: left for a decision); `GET|PUT
 * /_sim/telnyx/requirement-groups/review-policy {delayMs}` how long a scripted review takes;
 * `GET /_sim/telnyx/requirement-groups` lists them; `PUT /_sim/telnyx/countries/:code/kyc
 * {required}` makes a country need (or not) an approved group to order its numbers.
 */
export function registerTelnyxRequirementGroupControlRoutes(app: FastifyInstance, { state, services }: SimulatorContext): void {
  const groups = state.telnyxRequirementGroups;

  app.get('/telnyx/requirement-groups', async () => ({ data: groups.list().map(toRequirementGroupObject) }));

  app.post<ById>('/telnyx/requirement-groups/:id/review', async (request, reply) => {
    const decision = parseControlInput(decisionSchema, request.body);
    const group = groups.get(request.params.id);
    if (!group) return reply.code(404).send({ error: `requirement group ${request.params.id} not found` });
    try {
      return { data: toRequirementGroupObject(services.requirementReviews.decide(group, decision)) };
    } catch (error) {
      if (error instanceof ReviewNotPendingError) return reply.code(409).send({ error: error.message });
      if (error instanceof UnknownRequirementsError) return reply.code(400).send({ error: `fields: ${error.message}` });
      throw error;
    }
  });

  app.post('/telnyx/requirement-groups/next-review', async (request) => {
    const { times, ...verdict } = parseControlInput(nextReviewSchema, request.body);
    groups.arm(verdict as ReviewVerdict, times);
    return { armed: groups.armedVerdicts() };
  });

  app.get('/telnyx/requirement-groups/review-policy', async () => ({ policy: { delayMs: groups.reviewDelayMs }, armed: groups.armedVerdicts() }));
  app.put('/telnyx/requirement-groups/review-policy', async (request) => {
    const { delayMs } = parseControlInput(reviewPolicySchema, request.body);
    groups.reviewDelayMs = delayMs;
    return { policy: { delayMs } };
  });

  app.put<ByCountry>('/telnyx/countries/:code/kyc', async (request, reply) => {
    const code = request.params.code.toUpperCase();
    if (!/^[A-Z]{2}$/.test(code)) return reply.code(400).send({ error: 'code: must be an ISO 3166-1 alpha-2 code' });
    const { required } = parseControlInput(countryKycSchema, request.body);
    groups.setNeedsRequirementGroup(code, required);
    return { country: code, required, countries: groups.countriesNeedingRequirementGroups() };
  });
}
