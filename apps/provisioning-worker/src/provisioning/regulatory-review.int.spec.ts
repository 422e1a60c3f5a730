import { jobRequest, type WebhookEventRef } from '@numbers/contracts';
import { kycRequirementsFor, newId, type KycSubmission } from '@numbers/domain';
import type { JobContext, WebhookHandlerResult } from '@numbers/messaging';
import {
  Database,
  KycDocumentRepository,
  NumberLifecycle,
  OutboxRepository,
  PersistenceModule,
  PhoneNumberRecords,
  ProvisioningNumberRepository,
  RegulatoryCaseRepository,
  StuckNumberSweep,
  StuckNumbersRepository,
} from '@numbers/persistence';
import { CARRIER_GATEWAY, type CarrierGateway } from '@numbers/providers';
import { createTestAccount, eventJob, startHandlerTestBed, storedEvent, type HandlerTestBed, type SimulatorProcess, type WebhookCapture } from '@numbers/test-support';
import { CARRIER_KYC_PROVIDERS, CarrierKycReferences } from './carrier-kyc-references';
import { runQueuedJobs } from '../testing/queued-jobs';
import { NumberOrderCompleteEventHandler } from './number-order-complete.event-handler';
import { NumberOrderSettlement } from './number-order-settlement';
import { OrderNumberHandler } from './order-number.handler';
import { ProvisioningFailure } from './provisioning-failure';
import { NO_KYC_SUBMISSION, RegulatoryReview, type VerdictOutcome } from './regulatory-review';
import { RequirementGroupStatusUpdatedEventHandler } from './requirement-group-status-updated.event-handler';
import { ResubmitRequirementGroupHandler } from './resubmit-requirement-group.handler';
import { ResumeStalledProvisioningHandler } from './resume-stalled-provisioning.handler';
import { SettleRegulatoryVerdictHandler } from './settle-regulatory-verdict.handler';
import { WhatsAppActivation } from './whatsapp-activation';
import { CarrierOrderPlacement } from './carrier-order-placement';

jest.setTimeout(90_000);

interface SimGroup {
  id: string;
  countryCode: string;
  customerReference: string | null;
  status: string;
  submissions: number;
  requirements: { requirementId: string; fieldValue: string | null; status: string }[];
}
interface SimState {
  telnyx: {
    requirementGroups: SimGroup[];
    addresses: { id: string; customerReference: string | null; countryCode: string; streetAddress: string }[];
    documents: { id: string; customerReference: string | null; filename: string | null; sha256: string }[];
    orders: { id: string; customerReference: string | null; status: string; phoneNumbers: { phoneNumber: string; requirementGroupId: string | null }[] }[];
  };
  requests: { telnyx: { method: string; path: string; status: number; idempotencyKey: string | null }[] };
}

const ADDRESS = { country_code: 'DE', business_name: 'Acme GmbH', street_address: 'Friedrichstrasse 68', locality: 'Berlin', postal_code: '10117' };
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

/**
 * Integration: the regulated half of provisioning (a DE number) against a real database of this
 * file and the built provider simulator, whose signed webhooks come to a stand-in for the
 * gateway; every job and webhook is run twice. The group speaks the carrier's ids: its
 * requirement types (read from `/v2/requirements`), the address created at `/v2/addresses`, the
 * document uploaded to `/v2/documents`.
 */
describe('RegulatoryReview: requirement groups, verdicts and remediation', () => {
  let bed: HandlerTestBed<true>;
  let capture: WebhookCapture;
  let sim: SimulatorProcess;
  let db: Database;
  let orderNumber: OrderNumberHandler;
  let resubmit: ResubmitRequirementGroupHandler;
  let verdicts: RequirementGroupStatusUpdatedEventHandler;
  let verdictJobs: SettleRegulatoryVerdictHandler;
  let completion: NumberOrderCompleteEventHandler;
  let cases: RegulatoryCaseRepository;
  let accountId: string;
  let profileId: string;
  /** The carrier's DE local requirement types: the address and the proof of identity. */
  let carrierAddressRequirement: string;
  let carrierIdRequirement: string;

  beforeAll(async () => {
    bed = await startHandlerTestBed({
      imports: [PersistenceModule],
      providers: [
        ProvisioningNumberRepository,
        ProvisioningFailure,
        OrderNumberHandler,
        NumberOrderSettlement,
        CarrierOrderPlacement,
        NumberOrderCompleteEventHandler,
        RegulatoryCaseRepository,
        RegulatoryReview,
        ...CARRIER_KYC_PROVIDERS,
        ResubmitRequirementGroupHandler,
        RequirementGroupStatusUpdatedEventHandler,
        SettleRegulatoryVerdictHandler,
        ResumeStalledProvisioningHandler,
        StuckNumbersRepository,
        StuckNumberSweep,
        WhatsAppActivation,
      ],
      captureWebhooks: true,
    });
    ({ sim, capture } = bed);
    db = bed.moduleRef.get(Database);
    orderNumber = bed.moduleRef.get(OrderNumberHandler);
    resubmit = bed.moduleRef.get(ResubmitRequirementGroupHandler);
    verdicts = bed.moduleRef.get(RequirementGroupStatusUpdatedEventHandler);
    verdictJobs = bed.moduleRef.get(SettleRegulatoryVerdictHandler);
    completion = bed.moduleRef.get(NumberOrderCompleteEventHandler);
    cases = bed.moduleRef.get(RegulatoryCaseRepository);
    ({ accountId, profileId } = await createTestAccount(db));
    const carrierTypes = await bed.moduleRef.get<CarrierGateway>(CARRIER_GATEWAY).listOrderingRequirements('DE', 'local');
    carrierAddressRequirement = carrierTypes.find((t) => t.kind === 'address')?.id ?? '';
    carrierIdRequirement = carrierTypes.find((t) => t.kind === 'document')?.id ?? '';
    expect(carrierTypes.map((t) => t.kind)).toEqual(['address', 'document']);
  });

  afterAll(() => bed?.stop());

  afterEach(async () => {
    await sim.post('/_sim/webhooks/drain', {});
  });

  /** A KYC document of the account, stored as the gateway stores an upload. */
  const storedDocument = async (filename: string) =>
    (await bed.moduleRef.get(KycDocumentRepository).save({ accountId, filename, contentType: 'application/pdf', content: Buffer.concat([PDF, Buffer.from(filename)]) })).id;
  const submission = async (): Promise<KycSubmission> => ({ values: {}, documents: { req_de_id: await storedDocument('ausweis.pdf') }, address: ADDRESS });

  /** A paid DE number entering provisioning, with the customer's KYC submission stored (none with `false`). */
  async function regulatedNumber(withSubmission = true): Promise<string> {
    const id = newId();
    await db.insertInto('phoneNumbers').values({ id, accountId, profileId, country: 'DE', numberType: 'local', status: 'provisioning', paidFirst: true, monthlyCents: 900 }).execute();
    if (withSubmission) {
      const kyc = await submission();
      await db.transaction().execute((tx) => cases.create(tx, { accountId, numberId: id, country: 'DE', numberType: 'local', submission: kyc }));
    }
    return id;
  }

  /** The carrier's records of the number's KYC: its address (by the customer reference we give it) and its documents. */
  async function carrierRecordsOf(numberId: string, documentIds: string[]) {
    const state = await simState();
    return {
      addresses: state.telnyx.addresses.filter((a) => a.customerReference?.startsWith(`numbers-address-${numberId}-`)),
      documents: state.telnyx.documents.filter((d) => documentIds.some((docId) => d.customerReference === `numbers-document-${docId}`)),
    };
  }
  const documentOf = async (numberId: string) => ((await caseOf(numberId)).documents as Record<string, string>)['req_de_id'];

  const ctx = (jobId: string, name: 'order-number' | 'resubmit-requirement-group' = 'order-number', attempt = 1): JobContext => ({
    jobId,
    name,
    queue: 'provisioning',
    attempt,
    maxAttempts: 10,
  });
  const simState = () => sim.get<SimState>('/_sim/state');
  const groupOf = async (numberId: string) => (await simState()).telnyx.requirementGroups.filter((g) => g.customerReference === numberId);
  const review = (groupId: string, body: unknown) => sim.post(`/_sim/telnyx/requirement-groups/${groupId}/review`, body);
  const number = (id: string) => db.selectFrom('phoneNumbers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const caseOf = (numberId: string) => db.selectFrom('regulatoryCases').selectAll().where('numberId', '=', numberId).executeTakeFirstOrThrow();
  const applied = async (id: string) =>
    (await db.selectFrom('numberStatusHistory').selectAll().where('numberId', '=', id).orderBy('id').execute()).map((h) => [h.event, h.applied]);
  const orderJobs = async (id: string) =>
    (await db.selectFrom('outbox').selectAll().where('kind', '=', 'job').where('name', '=', 'order-number').execute()).filter((j) => (j.payload as { numberId: string }).numberId === id);

  /** The verdict's webhook event processed, then the job it queued that reads the verdict at the carrier and records it. */
  async function settle(ref: WebhookEventRef<'telnyx'>): Promise<WebhookHandlerResult> {
    const announced = await db.transaction().execute((tx) => verdicts.handle(storedEvent(ref), { tx, cause: `webhook:telnyx:${ref.eventId}`, job: eventJob('process-telnyx-event.1') }));
    const [settled] = (await runQueuedJobs(db, 'settle-regulatory-verdict', verdictJobs)) as VerdictOutcome[];
    return settled ? { outcome: settled.applied ? 'applied' : 'ignored', detail: settled.detail } : announced;
  }
  function complete(ref: WebhookEventRef<'telnyx'>) {
    return db.transaction().execute((tx) => completion.handle(storedEvent(ref), { tx, cause: `webhook:telnyx:${ref.eventId}`, job: eventJob('process-telnyx-event.2') }));
  }
  const verdict = (groupId: string, status: string) =>
    capture.next('telnyx', (e) => e.eventType === 'requirement_group.status_updated' && e.payload.payload['id'] === groupId && e.payload.payload['status'] === status);
  const orderCompleted = (numberId: string) =>
    capture.next('telnyx', (e) => e.eventType === 'number_order.complete' && e.payload.payload['customer_reference'] === numberId);

  /** What the gateway's remediation does in its transaction (tested there): corrections, a new round, back in review, the resubmit job. */
  async function remediate(id: string, corrections: Partial<KycSubmission>): Promise<void> {
    await db.transaction().execute(async (tx) => {
      const kyc = await cases.findByNumber(id, tx);
      if (!kyc) throw new Error('no case');
      await cases.recordCorrections(tx, kyc.row.id, { ...kyc.submission, ...corrections });
      await bed.moduleRef.get(NumberLifecycle).apply(id, 'remediation_submitted', { cause: 'req-remediate', actor: 'customer', patch: { regulatoryDeclineReason: null } }, tx);
      await bed.moduleRef.get(OutboxRepository).add(tx, [jobRequest('resubmit-requirement-group', { numberId: id })]);
    });
  }

  async function reviewStarted(): Promise<{ id: string; groupId: string }> {
    const id = await regulatedNumber();
    await orderNumber.handle({ numberId: id }, ctx('order-number.1'));
    const stored = await number(id);
    return { id, groupId: stored.requirementGroupId ?? '' };
  }

  it('review started: the group is created from the submission and submitted once, the number pending_regulatory; run twice', async () => {
    const id = await regulatedNumber();
    const first = await orderNumber.handle({ numberId: id }, ctx('order-number.11'));
    expect(first).toMatchObject({ outcome: 'review_started', applied: true });
    const second = await orderNumber.handle({ numberId: id }, ctx('order-number.11'));
    expect(second).toMatchObject({ outcome: 'review_pending', status: 'pending-approval' });

    const [group, ...more] = await groupOf(id);
    expect(more).toEqual([]);
    // The carrier's requirement ids, and the ids of the address and document created there.
    const records = await carrierRecordsOf(id, [await documentOf(id)]);
    expect(records.addresses).toEqual([expect.objectContaining({ countryCode: 'DE', streetAddress: 'Friedrichstrasse 68' })]);
    expect(records.documents).toEqual([expect.objectContaining({ filename: 'ausweis.pdf' })]);
    expect(group).toMatchObject({
      countryCode: 'DE',
      status: 'pending-approval',
      submissions: 1,
      requirements: [
        { requirementId: carrierAddressRequirement, fieldValue: records.addresses[0].id, status: 'pending-approval' },
        { requirementId: carrierIdRequirement, fieldValue: records.documents[0].id, status: 'pending-approval' },
      ],
    });
    expect(await number(id)).toMatchObject({ status: 'pending_regulatory', requirementGroupId: group.id, telnyxOrderId: null });
    expect(await caseOf(id)).toMatchObject({ requirementGroupId: group.id, reviewRound: 1, submittedRound: 1, verdict: null });
    expect(await applied(id)).toEqual([['regulatory_review_started', true]]);
    const { requests } = await simState();
    const creates = requests.telnyx.filter((r) => r.method === 'POST' && r.path === '/v2/requirement_groups');
    expect(creates.map((r) => r.idempotencyKey)).toEqual([`requirement-group-${id}`]);
    expect(requests.telnyx.filter((r) => r.method === 'POST' && r.path === '/v2/addresses').map((r) => r.idempotencyKey)).toEqual([`carrier-address-${records.addresses[0].customerReference}`]);
    expect(requests.telnyx.filter((r) => r.method === 'POST' && r.path === '/v2/documents').map((r) => r.idempotencyKey)).toEqual([`carrier-document-${await documentOf(id)}`]);
    expect(requests.telnyx.filter((r) => r.path === `/v2/requirement_groups/${group.id}/submit_for_approval`).map((r) => r.idempotencyKey)).toEqual([
      `requirement-group-submit-${id}-1`,
    ]);
    expect(requests.telnyx.filter((r) => r.path === '/v2/number_orders' && r.method === 'POST')).toHaveLength(0);
  });

  it('a run that died after creating the address and uploading the document: the retry creates neither again', async () => {
    const id = await regulatedNumber();
    // What the dead run did at the carrier before it created the group: nothing of it recorded here.
    const references = bed.moduleRef.get(CarrierKycReferences);
    const row = await number(id);
    const fields = kycRequirementsFor(await cases.requirementsOfCountry('DE'), 'local');
    const kyc = await cases.findByNumber(id);
    const sent = await references.values(row, fields, kyc?.submission ?? { values: {}, documents: {}, address: null }, await references.matchOf(row, fields));

    await expect(orderNumber.handle({ numberId: id }, ctx('order-number.12'))).resolves.toMatchObject({ outcome: 'review_started' });
    const records = await carrierRecordsOf(id, [await documentOf(id)]);
    expect(records.addresses).toHaveLength(1);
    expect(records.documents).toHaveLength(1);
    const [group] = await groupOf(id);
    expect(group.requirements.map((r) => ({ requirementId: r.requirementId, value: r.fieldValue }))).toEqual(sent);
  });

  it('approved: the verdict enqueues order-number once, which orders with the group; number_order.complete → verifying; each run twice', async () => {
    const { id, groupId } = await reviewStarted();
    await review(groupId, { verdict: 'approve' });
    const event = await verdict(groupId, 'approved');

    await expect(settle(event)).resolves.toEqual({ outcome: 'applied', detail: `number ${id} approved (round 1): ordering it` });
    await expect(settle(event)).resolves.toEqual({ outcome: 'ignored', detail: 'the approval of round 1 is recorded already' });
    expect(await orderJobs(id)).toHaveLength(1);
    expect(await caseOf(id)).toMatchObject({ verdict: 'approved', decidedAt: expect.any(Date) });

    const [ordered, again] = [await orderNumber.handle({ numberId: id }, ctx('order-number.21')), await orderNumber.handle({ numberId: id }, ctx('order-number.21'))];
    expect(ordered).toMatchObject({ outcome: expect.stringMatching(/pending|ordered/) });
    expect(again).toMatchObject({ outcome: expect.stringMatching(/pending|ordered/) });
    const orders = (await simState()).telnyx.orders.filter((o) => o.customerReference === id);
    expect(orders).toHaveLength(1);
    expect(orders[0].phoneNumbers).toEqual([expect.objectContaining({ requirementGroupId: groupId, phoneNumber: expect.stringMatching(/^\+49/) })]);

    const done = await orderCompleted(id);
    await complete(done);
    await complete(done);
    expect(await number(id)).toMatchObject({ status: 'verifying', telnyxOrderId: orders[0].id, phoneNumber: orders[0].phoneNumbers[0].phoneNumber });
    // The job's second run or the completion settles the order; every later settlement is recorded, not applied.
    const history = await applied(id);
    expect(history.filter(([, ok]) => ok)).toEqual([
      ['regulatory_review_started', true],
      ['number_ordered', true],
    ]);
    expect(history.filter(([event, ok]) => event === 'number_ordered' && !ok).length).toBeGreaterThanOrEqual(1);
  });

  it('declined: regulatory_declined with the reviewer’s reason, the fields to fix stored; run twice', async () => {
    const { id, groupId } = await reviewStarted();
    // The reviewer flags the carrier's requirement; the case names our field behind it.
    await review(groupId, { verdict: 'decline', reason: 'The ID document is unreadable', fields: [carrierIdRequirement] });
    const event = await verdict(groupId, 'declined');

    await expect(settle(event)).resolves.toEqual({ outcome: 'applied', detail: `number ${id} declined (round 1): The ID document is unreadable` });
    await expect(settle(event)).resolves.toEqual({ outcome: 'ignored', detail: `number ${id} is regulatory_declined` });
    const stored = await number(id);
    expect(stored).toMatchObject({ status: 'regulatory_declined', regulatoryDeclineReason: 'The ID document is unreadable' });
    expect(stored.regulatoryDeclinedAt).toBeInstanceOf(Date);
    expect(await caseOf(id)).toMatchObject({
      verdict: 'declined',
      declineReason: 'The ID document is unreadable',
      fieldsToFix: ['req_de_id'],
    });
    expect(await applied(id)).toEqual([
      ['regulatory_review_started', true],
      ['regulatory_declined', true],
    ]);
    expect(await orderJobs(id)).toHaveLength(0);
  });

  it('remediated: the corrections go to the same group, resubmitted once; the old verdict never declines it again; approved → ordered once', async () => {
    const { id, groupId } = await reviewStarted();
    await review(groupId, { verdict: 'decline', reason: 'The ID document is unreadable', fields: [carrierIdRequirement] });
    const declined = await verdict(groupId, 'declined');
    await settle(declined);

    const first = await documentOf(id);
    const second = await storedDocument('ausweis-lesbar.pdf');
    await remediate(id, { documents: { req_de_id: second } });
    expect(await number(id)).toMatchObject({ status: 'pending_regulatory', regulatoryDeclineReason: null });
    // Before the resubmission the carrier still shows the decline: it is the earlier round's.
    const stale = await settle({ ...declined, eventId: 'f0000000-0000-4000-8000-000000000001' });
    expect(stale).toEqual({ outcome: 'ignored', detail: "the carrier's declined is on an earlier round: round 2 is not submitted yet" });

    await expect(resubmit.handle({ numberId: id }, ctx('resubmit-requirement-group.31', 'resubmit-requirement-group'))).resolves.toEqual({
      outcome: 'resubmitted',
      requirementGroupId: groupId,
      round: 2,
    });
    await expect(resubmit.handle({ numberId: id }, ctx('resubmit-requirement-group.31', 'resubmit-requirement-group'))).resolves.toEqual({
      outcome: 'skipped',
      reason: 'round 2 was submitted already',
    });
    const [group, ...more] = await groupOf(id);
    expect(more).toEqual([]);
    expect(group).toMatchObject({ id: groupId, status: 'pending-approval', submissions: 2 });
    // The corrected document uploaded to the carrier and referenced by its id; the address untouched.
    const records = await carrierRecordsOf(id, [first, second]);
    expect(records.addresses).toHaveLength(1);
    expect(records.documents.map((d) => d.filename)).toEqual(['ausweis.pdf', 'ausweis-lesbar.pdf']);
    expect(group.requirements).toEqual([
      expect.objectContaining({ requirementId: carrierAddressRequirement, fieldValue: records.addresses[0].id, status: 'approved' }),
      expect.objectContaining({ requirementId: carrierIdRequirement, fieldValue: records.documents[1].id, status: 'pending-approval' }),
    ]);
    const { requests } = await simState();
    expect(requests.telnyx.filter((r) => r.method === 'PATCH' && r.path === `/v2/requirement_groups/${groupId}`).map((r) => r.idempotencyKey)).toEqual([
      `requirement-group-update-${id}-2`,
    ]);
    // The first decline delivered again: the group is under review now, nothing moves.
    await expect(settle(declined)).resolves.toMatchObject({ outcome: 'ignored', detail: `requirement group ${groupId} is pending-approval` });

    await review(groupId, { verdict: 'approve' });
    const approved = await verdict(groupId, 'approved');
    await expect(settle(approved)).resolves.toMatchObject({ outcome: 'applied' });
    await expect(settle(approved)).resolves.toMatchObject({ outcome: 'ignored' });
    await orderNumber.handle({ numberId: id }, ctx('order-number.32'));
    await orderNumber.handle({ numberId: id }, ctx('order-number.32'));
    await complete(await orderCompleted(id));
    expect(await number(id)).toMatchObject({ status: 'verifying' });
    expect((await simState()).telnyx.orders.filter((o) => o.customerReference === id)).toHaveLength(1);
    expect((await applied(id)).filter(([, ok]) => ok)).toEqual([
      ['regulatory_review_started', true],
      ['regulatory_declined', true],
      ['remediation_submitted', true],
      ['number_ordered', true],
    ]);
    expect(await caseOf(id)).toMatchObject({ reviewRound: 2, submittedRound: 2, verdict: 'approved', fieldsToFix: [] });
    // Every group created, declined and corrected in this file read the carrier's catalog once:
    // the test's own read in beforeAll, then the worker's, cached since.
    const catalogReads = (await simState()).requests.telnyx.filter((r) => r.method === 'GET' && r.path === '/v2/requirements');
    expect(catalogReads).toHaveLength(2);
  });

  it('a verdict that comes before the submitting job recorded the review starts the review itself', async () => {
    const id = await regulatedNumber();
    // The job submitted the group, which the reviewer approved at once, and died before it
    // recorded the review: the number is still provisioning.
    const carrier = bed.moduleRef.get<CarrierGateway>(CARRIER_GATEWAY);
    await sim.post('/_sim/telnyx/requirement-groups/next-review', { verdict: 'approve' });
    const references = bed.moduleRef.get(CarrierKycReferences);
    const row = await number(id);
    const fields = kycRequirementsFor(await cases.requirementsOfCountry('DE'), 'local');
    const kyc = await cases.findByNumber(id);
    const requirements = await references.values(row, fields, kyc?.submission ?? { values: {}, documents: {}, address: null }, await references.matchOf(row, fields));
    const created = await carrier.createRequirementGroup({ country: 'DE', numberType: 'local', customerReference: id, requirements }, `requirement-group-${id}`);
    await cases.recordRequirementGroup(id, created.id);
    await bed.moduleRef.get(PhoneNumberRecords).recordRequirementGroup(id, created.id);
    await cases.markSubmitted(id, 1);
    await carrier.submitRequirementGroup(created.id, `requirement-group-submit-${id}-1`);
    const event = await verdict(created.id, 'approved');

    await expect(settle(event)).resolves.toMatchObject({ outcome: 'applied' });
    expect(await number(id)).toMatchObject({ status: 'pending_regulatory' });
    expect(await orderJobs(id)).toHaveLength(1);
    // The job's retry then finds the review started and the group approved: it orders.
    await expect(orderNumber.handle({ numberId: id }, ctx('order-number.41', 'order-number', 2))).resolves.toMatchObject({ outcome: expect.stringMatching(/pending|ordered/) });
    expect((await simState()).telnyx.orders.filter((o) => o.customerReference === id)).toHaveLength(1);
  });

  it('a reused approved verification orders at once, from provisioning', async () => {
    const { id: first, groupId } = await reviewStarted();
    await review(groupId, { verdict: 'approve' });
    await settle(await verdict(groupId, 'approved'));

    const id = newId();
    await db.insertInto('phoneNumbers').values({ id, accountId, profileId, country: 'DE', numberType: 'local', status: 'provisioning', paidFirst: false, monthlyCents: 900 }).execute();
    const firstCase = await caseOf(first);
    const reusedSubmission = (await cases.findByNumber(first))?.submission ?? { values: {}, documents: {}, address: null };
    await db.transaction().execute((tx) =>
      cases.create(tx, { accountId, numberId: id, country: 'DE', numberType: 'local', submission: reusedSubmission, reusedFrom: { caseId: firstCase.id, requirementGroupId: groupId } }),
    );
    await expect(orderNumber.handle({ numberId: id }, ctx('order-number.51'))).resolves.toMatchObject({ outcome: expect.stringMatching(/pending|ordered/) });
    await expect(orderNumber.handle({ numberId: id }, ctx('order-number.51'))).resolves.toMatchObject({ outcome: expect.stringMatching(/pending|ordered/) });
    const orders = (await simState()).telnyx.orders.filter((o) => o.customerReference === id);
    expect(orders).toHaveLength(1);
    expect(orders[0].phoneNumbers[0].requirementGroupId).toBe(groupId);
    expect((await simState()).telnyx.requirementGroups).toHaveLength(new Set((await simState()).telnyx.requirementGroups.map((g) => g.id)).size);
    expect(await groupOf(id)).toEqual([]);
    expect(await caseOf(id)).toMatchObject({ verdict: 'approved', submittedRound: 1 });
  });

  it('a regulated number without a submission ends with the reason stored, nothing asked of the carrier', async () => {
    const id = await regulatedNumber(false);
    await expect(orderNumber.handle({ numberId: id }, ctx('order-number.61'))).resolves.toMatchObject({ outcome: 'failed', applied: true });
    expect(await number(id)).toMatchObject({ status: 'releasing', failureReason: NO_KYC_SUBMISSION });
    expect(await groupOf(id)).toEqual([]);
  });

  it('a verdict on a group that is not ours is ignored', async () => {
    const ref: WebhookEventRef<'telnyx'> = {
      provider: 'telnyx',
      eventId: 'f0000000-0000-4000-8000-000000000002',
      eventType: 'requirement_group.status_updated',
      payload: { id: 'f0000000-0000-4000-8000-000000000002', event_type: 'requirement_group.status_updated', payload: { id: 'someone-elses-group', customer_reference: 'nope' } },
    };
    await expect(settle(ref)).resolves.toEqual({ outcome: 'ignored', detail: 'requirement group someone-elses-group is not for one of our numbers' });
  });

  it('a lost verdict: the resume-stalled-provisioning sweep reads the group at the carrier and settles it once', async () => {
    const { id, groupId } = await reviewStarted();
    await review(groupId, { verdict: 'approve' });
    await verdict(groupId, 'approved'); // the event never reaches a worker
    // The review began two hours ago: past REGULATORY_RECHECK_MS.
    await db.updateTable('numberStatusHistory').set({ at: new Date(Date.now() - 2 * 3600_000) }).where('numberId', '=', id).execute();

    const sweep = bed.moduleRef.get(ResumeStalledProvisioningHandler);
    const run = (n: number) => sweep.handle({}, { jobId: `repeat:resume-stalled-provisioning:${n}`, name: 'resume-stalled-provisioning', queue: 'provisioning', attempt: 1, maxAttempts: 1 });
    const first = await run(1);
    expect(first.acted.filter((a) => a.numberId === id)).toEqual([
      { numberId: id, kind: 'regulatory_verdict_overdue', action: `number ${id} approved (round 1): ordering it` },
    ]);
    expect(await caseOf(id)).toMatchObject({ verdict: 'approved' });
    expect(await orderJobs(id)).toHaveLength(1);
    // Swept: left alone for the threshold, nothing more.
    expect((await run(2)).acted.filter((a) => a.numberId === id)).toEqual([]);
    expect(await orderJobs(id)).toHaveLength(1);
  });
});
