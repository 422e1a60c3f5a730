import { Inject, Injectable, Logger } from '@nestjs/common';
import { jobRequest } from '@numbers/contracts';
import { fieldsOfCarrierRequirements, kycRequirementsFor, type KycRequirement, type RequirementValue } from '@numbers/domain';
import { GiveUpError } from '@numbers/messaging';
import {
  Database,
  NumberLifecycle,
  OutboxRepository,
  PhoneNumberRecords,
  RegulatoryCaseRepository,
  type PhoneNumber,
  type RegulatoryCaseView,
  type Tx,
} from '@numbers/persistence';
import { CARRIER_GATEWAY, type CarrierGateway, type CarrierNumberType, type RequirementGroupSnapshot } from '@numbers/providers';
import { CarrierKycReferences } from './carrier-kyc-references';
import { CarrierOrderPlacement } from './carrier-order-placement';
import { NumberOrderSettlement, type OrderSettlement } from './number-order-settlement';
import { ProvisioningFailure, type SettlementContext } from './provisioning-failure';

/** Why a regulated number that was paid for has nothing to review (bought around the KYC form). */
export const NO_KYC_SUBMISSION = 'no KYC submission for a country that needs identity review';

/** Used when the reviewer left no comment on a declined group. */
export const DECLINED_WITHOUT_REASON = "declined by the carrier's regulatory reviewer";

export type ReviewStep =
  | OrderSettlement
  | { outcome: 'review_started'; requirementGroupId: string; applied: boolean }
  | { outcome: 'review_pending'; requirementGroupId: string; status: string }
  | { outcome: 'resubmitted'; requirementGroupId: string; round: number };

export type VerdictOutcome = { applied: boolean; detail: string };

/**
 * The regulated half of provisioning (countries with `needs_kyc`): the carrier's requirement
 * group for a number, its review, and the order that follows an approval.
 *
 * - `start` (the `order-number` job of a `provisioning` number): creates the group from the
 *   stored submission in the carrier's terms (its requirement ids, the address created and the
 *   documents uploaded there: `CarrierKycReferences`; customer reference = our number id, key
 *   `requirement-group-<numberId>`, looked up by reference first), records the round as submitted, submits it (key per round)
 *   and applies `regulatory_review_started` (→ pending_regulatory). A group already approved (a
 *   reused verification) is ordered at once.
 * - `orderApproved` (the `order-number` job of a `pending_regulatory` number): once the carrier
 *   shows the group approved, orders a number with it, exactly like the unregulated order (same
 *   key, customer reference, `NumberOrderSettlement`), the number to order stored first so two
 *   runs order the same one; `number_order.complete` then moves it to verifying.
 * - `resubmit` (`resubmit-requirement-group`, after a remediation): sends the corrected fields to
 *   the same group and submits it again.
 * - `verdictAnnounced` (`requirement_group.status_updated`) queues `settleVerdict`
 *   (`settle-regulatory-verdict`), which reads the group back (today's truth) and, when it is a
 *   verdict on the round last submitted, records it once: approved enqueues `order-number`;
 *   declined applies `regulatory_declined` with the reviewer's reason, and stores the fields
 *   behind the carrier's requirements at fault as the fields to fix.
 */
@Injectable()
export class RegulatoryReview {
  private readonly logger = new Logger(RegulatoryReview.name);

  constructor(
    private readonly db: Database,
    private readonly numbers: PhoneNumberRecords,
    private readonly lifecycle: NumberLifecycle,
    private readonly cases: RegulatoryCaseRepository,
    private readonly outbox: OutboxRepository,
    private readonly settlement: NumberOrderSettlement,
    private readonly failure: ProvisioningFailure,
    private readonly carrierKyc: CarrierKycReferences,
    private readonly placement: CarrierOrderPlacement,
    @Inject(CARRIER_GATEWAY) private readonly carrier: CarrierGateway,
  ) {}

  async start(number: PhoneNumber, context: SettlementContext): Promise<ReviewStep> {
    const kyc = await this.cases.findByNumber(number.id);
    if (!kyc) return this.failure.end(number.id, NO_KYC_SUBMISSION, context);
    let group = kyc.row.requirementGroupId ? await this.carrier.getRequirementGroup(kyc.row.requirementGroupId) : null;
    if (!group) {
      const fields = await this.requirementsOf(number);
      const match = await this.carrierKyc.matchOf(number, fields);
      group = await this.carrier.createRequirementGroup(
        {
          country: number.country,
          numberType: number.numberType as CarrierNumberType,
          customerReference: number.id,
          requirements: await this.carrierKyc.values(number, fields, kyc.submission, match),
        },
        `requirement-group-${number.id}`,
      );
      await this.cases.recordRequirementGroup(number.id, group.id);
      await this.numbers.recordRequirementGroup(number.id, group.id);
      this.logger.log({ numberId: number.id, requirementGroupId: group.id }, 'requirement group created');
    }
    if (group.status === 'approved') {
      // A reused verification: the group is approved already, the number is ordered at once.
      await this.cases.markSubmitted(number.id, kyc.row.reviewRound);
      await this.cases.recordVerdict(number.id, kyc.row.reviewRound, { verdict: 'approved', at: new Date() });
      return this.order(number, group.id, context);
    }
    await this.submit(number.id, group, kyc.row.reviewRound);
    const started = await this.lifecycle.apply(number.id, 'regulatory_review_started', { ...context, patch: { requirementGroupId: group.id } });
    return { outcome: 'review_started', requirementGroupId: group.id, applied: started.applied };
  }

  async orderApproved(number: PhoneNumber, context: SettlementContext): Promise<ReviewStep> {
    const kyc = await this.cases.findByNumber(number.id);
    const groupId = kyc?.row.requirementGroupId;
    if (!kyc || !groupId) return this.failure.end(number.id, NO_KYC_SUBMISSION, context);
    if (number.telnyxOrderId) return this.order(number, groupId, context);
    const group = await this.carrier.getRequirementGroup(groupId);
    if (!group) throw new Error(`requirement group ${groupId} of number ${number.id} is not known at the carrier`);
    if (group.status !== 'approved' || kyc.row.submittedRound < kyc.row.reviewRound) {
      return { outcome: 'review_pending', requirementGroupId: groupId, status: group.status };
    }
    return this.order(number, groupId, context);
  }

  async resubmit(numberId: string): Promise<ReviewStep | { outcome: 'skipped'; reason: string }> {
    const number = await this.numbers.byId(numberId);
    if (!number) throw new GiveUpError(`number ${numberId} does not exist`);
    const kyc = await this.cases.findByNumber(numberId);
    const groupId = kyc?.row.requirementGroupId;
    if (!kyc || !groupId) return { outcome: 'skipped', reason: 'no requirement group to resubmit' };
    if (number.status !== 'pending_regulatory') return { outcome: 'skipped', reason: `number is ${number.status}` };
    const round = kyc.row.reviewRound;
    if (kyc.row.submittedRound >= round) return { outcome: 'skipped', reason: `round ${round} was submitted already` };

    const corrected = await this.correctedValues(number, kyc);
    if (corrected.length > 0) await this.carrier.updateRequirementGroup(groupId, corrected, `requirement-group-update-${numberId}-${round}`);
    const group = await this.carrier.getRequirementGroup(groupId);
    if (!group) throw new Error(`requirement group ${groupId} of number ${numberId} is not known at the carrier`);
    await this.submit(numberId, group, round);
    this.logger.log({ numberId, requirementGroupId: groupId, round, corrected: corrected.map((v) => v.requirementId) }, 'requirement group resubmitted');
    return { outcome: 'resubmitted', requirementGroupId: groupId, round };
  }

  /**
   * The carrier's `requirement_group.status_updated`, in the webhook event's transaction: finds
   * the number the group is for and queues `settle-regulatory-verdict`, which reads the verdict
   * at the carrier outside any transaction. Asks the carrier nothing.
   */
  async verdictAnnounced(requirementGroupId: string, customerReference: unknown, tx: Tx, cause: string): Promise<VerdictOutcome> {
    const number =
      (typeof customerReference === 'string' ? await this.numbers.byId(customerReference, tx) : null) ??
      (await this.numbers.byRequirementGroup(requirementGroupId, tx));
    if (!number) return { applied: false, detail: `requirement group ${requirementGroupId} is not for one of our numbers` };
    await this.outbox.add(tx, [jobRequest('settle-regulatory-verdict', { numberId: number.id, requirementGroupId, cause })]);
    return { applied: true, detail: `number ${number.id}: the verdict on requirement group ${requirementGroupId} is read at the carrier next` };
  }

  /**
   * A `pending_regulatory` number nothing moved on for a while (the `resume-stalled-provisioning`
   * sweep): whatever job it waits for was lost, or the carrier's verdict event was. A round not
   * submitted yet gets `resubmit-requirement-group` again; an approval already recorded gets
   * `order-number` again (it orders once: stored order id, key); otherwise the group is read at the
   * carrier and a verdict settled by `settleVerdict`, as the verdict's own job does. Says what it did.
   */
  async recheck(number: PhoneNumber, context: SettlementContext): Promise<string> {
    const kyc = await this.cases.findByNumber(number.id);
    const groupId = kyc?.row.requirementGroupId;
    if (!kyc || !groupId) {
      await this.outbox.add(this.db, [jobRequest('order-number', { numberId: number.id })]);
      return 'no requirement group: order-number again';
    }
    const round = kyc.row.reviewRound;
    if (kyc.row.submittedRound < round) {
      await this.outbox.add(this.db, [jobRequest('resubmit-requirement-group', { numberId: number.id })]);
      return `round ${round} not submitted: resubmit-requirement-group again`;
    }
    if (kyc.row.verdict === 'approved') {
      await this.outbox.add(this.db, [jobRequest('order-number', { numberId: number.id })]);
      return `round ${round} approved: order-number again`;
    }
    const settled = await this.settleVerdict(number.id, groupId, context);
    return settled.applied ? settled.detail : `no verdict settled: ${settled.detail}`;
  }

  /**
   * Reads the group at the carrier (today's truth) and, when it is a verdict on the round last
   * submitted, records it once, with what follows, in one transaction opened after the carrier
   * answered.
   */
  async settleVerdict(numberId: string, requirementGroupId: string, context: SettlementContext): Promise<VerdictOutcome> {
    const number = await this.numbers.byId(numberId);
    if (!number) throw new GiveUpError(`number ${numberId} does not exist`);
    const kyc = await this.cases.findByNumber(number.id);
    if (!kyc) return { applied: false, detail: `number ${number.id} has no regulatory case` };
    if (kyc.row.requirementGroupId && kyc.row.requirementGroupId !== requirementGroupId) {
      return { applied: false, detail: `requirement group ${requirementGroupId} is not number ${number.id}'s group ${kyc.row.requirementGroupId}` };
    }
    const group = await this.carrier.getRequirementGroup(requirementGroupId);
    if (!group) throw new Error(`requirement group ${requirementGroupId} is not known at the carrier (yet)`);
    if (group.status !== 'approved' && group.status !== 'declined') {
      return { applied: false, detail: `requirement group ${requirementGroupId} is ${group.status}` };
    }
    const round = kyc.row.reviewRound;
    if (kyc.row.submittedRound < round) {
      return { applied: false, detail: `the carrier's ${group.status} is on an earlier round: round ${round} is not submitted yet` };
    }
    if (number.status !== 'provisioning' && number.status !== 'pending_regulatory') {
      return { applied: false, detail: `number ${number.id} is ${number.status}` };
    }
    const started = async (tx: Tx): Promise<void> => {
      // The job that submitted the group has not recorded the review yet: the verdict records it.
      if (number.status === 'provisioning') {
        await this.lifecycle.apply(number.id, 'regulatory_review_started', { ...context, patch: { requirementGroupId } }, tx);
      }
    };
    return group.status === 'approved' ? this.approved(number.id, round, started) : this.declined(number, round, group, kyc, started, context);
  }

  private async approved(numberId: string, round: number, started: (tx: Tx) => Promise<void>): Promise<VerdictOutcome> {
    const recorded = await this.cases.recordVerdictWith(numberId, round, { verdict: 'approved', at: new Date() }, async (tx) => {
      await started(tx);
      await this.outbox.add(tx, [jobRequest('order-number', { numberId })]);
      return true;
    });
    if (!recorded) return { applied: false, detail: `the approval of round ${round} is recorded already` };
    return { applied: true, detail: `number ${numberId} approved (round ${round}): ordering it` };
  }

  private async declined(
    number: PhoneNumber,
    round: number,
    group: RequirementGroupSnapshot,
    kyc: RegulatoryCaseView,
    started: (tx: Tx) => Promise<void>,
    context: SettlementContext,
  ): Promise<VerdictOutcome> {
    const comments = await this.carrier.listRequirementGroupComments(group.id);
    const reason = comments.filter((comment) => comment.byReviewer).pop()?.body ?? DECLINED_WITHOUT_REASON;
    const numberId = number.id;
    const fieldsToFix = await this.fieldsAtFault(number, group);
    const result = await this.cases.recordVerdictWith(numberId, round, { verdict: 'declined', declineReason: reason, fieldsToFix, at: new Date() }, async (tx) => {
      await started(tx);
      return this.lifecycle.apply(numberId, 'regulatory_declined', { ...context, patch: { regulatoryDeclineReason: reason } }, tx);
    });
    if (!result) return { applied: false, detail: `the decline of round ${round} is recorded already` };
    this.logger.warn({ numberId, requirementGroupId: group.id, round, reason, fieldsToFix, caseId: kyc.row.id }, 'regulatory review declined');
    return { applied: result.applied, detail: `number ${numberId} declined (round ${round}): ${reason}` };
  }

  /** Marks the round submitted, then asks the carrier: a verdict arriving at once already counts. */
  private async submit(numberId: string, group: RequirementGroupSnapshot, round: number): Promise<void> {
    await this.cases.markSubmitted(numberId, round);
    if (group.status === 'pending-approval') return;
    await this.carrier.submitRequirementGroup(group.id, `requirement-group-submit-${numberId}-${round}`);
  }

  /** Orders the number with its approved group, once (see NumberOrderSettlement for what follows). */
  private async order(number: PhoneNumber, requirementGroupId: string, context: SettlementContext): Promise<OrderSettlement> {
    if (number.telnyxOrderId) {
      const placed = await this.carrier.getNumberOrder(number.telnyxOrderId);
      if (placed) return this.settlement.settle(number, placed, context);
    }
    const phoneNumber = await this.numberToOrder(number);
    if (!phoneNumber) return this.failure.end(number.id, `no ${number.numberType} numbers available in ${number.country}`, context);
    const order = await this.placement.place(number, { phoneNumber, customerReference: number.id, requirementGroupId }, `order-${number.id}`);
    if (!order) return { outcome: 'skipped', reason: 'number moved on before its order was sent' };
    this.logger.log({ numberId: number.id, orderId: order.orderId, phoneNumber, requirementGroupId, status: order.status }, 'regulated number order placed');
    return this.settlement.settle(number, order, context);
  }

  /**
   * The number to order: the one stored on the row, else the carrier's first offer, stored
   * before the order so that two runs (a retry, a second approval job) send the same request.
   */
  private async numberToOrder(number: PhoneNumber): Promise<string | null> {
    if (number.phoneNumber) return number.phoneNumber;
    const [first] = await this.carrier.searchAvailableNumbers({ country: number.country, numberType: number.numberType, features: ['sms'], limit: 1 });
    return first ? this.numbers.keepPhoneNumber(number.id, first.phoneNumber) : null;
  }

  private async requirementsOf(number: PhoneNumber): Promise<KycRequirement[]> {
    return kycRequirementsFor(await this.cases.requirementsOfCountry(number.country), number.numberType);
  }

  /** The carrier's values of the fields the last decline flagged (all fields when none is recorded). */
  private async correctedValues(number: PhoneNumber, kyc: RegulatoryCaseView): Promise<RequirementValue[]> {
    const fields = await this.requirementsOf(number);
    const fix = new Set(kyc.fieldsToFix);
    const corrected = kyc.fieldsToFix.length === 0 ? fields : fields.filter((field) => fix.has(field.requirementId));
    return this.carrierKyc.values(number, corrected, kyc.submission, await this.carrierKyc.matchOf(number, fields));
  }

  /**
   * Our fields behind the requirements the reviewer declined (all the group's when none is
   * flagged); every field the carrier asks for when none of them is one of ours.
   */
  private async fieldsAtFault(number: PhoneNumber, group: RequirementGroupSnapshot): Promise<string[]> {
    const match = await this.carrierKyc.matchOf(number, await this.requirementsOf(number));
    const flagged = group.requirements.filter((r) => r.status === 'declined').map((r) => r.requirementId);
    const fields = fieldsOfCarrierRequirements(match, flagged.length > 0 ? flagged : group.requirements.map((r) => r.requirementId));
    return fields.length > 0 ? fields : Object.keys(match.carrierIdOf);
  }
}
