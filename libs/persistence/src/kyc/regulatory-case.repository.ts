import { Injectable } from '@nestjs/common';
import { newId, type KycAddressInput, type KycSubmission } from '@numbers/domain';
import { Database, type Executor, type Tx } from '../database/database';
import type { NumberType, RegulatoryCase } from '../database/rows';

export type RegulatoryVerdict = 'approved' | 'declined';

export interface NewRegulatoryCase {
  accountId: string;
  numberId: string;
  country: string;
  numberType: NumberType;
  submission: KycSubmission;
  /** A reused verification: its case, and the approved requirement group the new number orders with. */
  reusedFrom?: { caseId: string; requirementGroupId: string };
  now?: Date;
}

/** A case with its stored JSON read back as the domain's shapes. */
export interface RegulatoryCaseView {
  row: RegulatoryCase;
  submission: KycSubmission;
  fieldsToFix: string[];
}

/** An approved verification of the account that a new number of the same country and type may reuse. */
export interface ReusableVerification {
  caseId: string;
  requirementGroupId: string;
  fromPhoneNumber: string | null;
  submittedAt: Date;
  view: RegulatoryCaseView;
}

function record(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** The stored JSON columns of a case as the domain reads them. */
export function viewOfCase(row: RegulatoryCase): RegulatoryCaseView {
  const address = typeof row.address === 'object' && row.address !== null && !Array.isArray(row.address) ? (row.address as KycAddressInput) : null;
  const fieldsToFix = Array.isArray(row.fieldsToFix) ? row.fieldsToFix.filter((id): id is string => typeof id === 'string') : [];
  return { row, submission: { values: record(row.submittedValues), documents: record(row.documents), address }, fieldsToFix };
}

/** A jsonb value as a parameter: serialized here, since pg would send a JS array as a PostgreSQL array. */
function jsonb(value: unknown): string {
  return JSON.stringify(value);
}

function json(submission: KycSubmission): { submittedValues: string; documents: string; address: string | null } {
  return { submittedValues: jsonb(submission.values), documents: jsonb(submission.documents), address: submission.address ? jsonb(submission.address) : null };
}

/**
 * A number's regulatory case (one per number): what the customer submitted, the carrier's
 * requirement group, and the review rounds. Round 1 is the submission; each remediation starts
 * the next. `submitted_round` records that the carrier was asked to review a round: a verdict
 * the carrier shows counts only for the round last submitted (`review_round = submitted_round`),
 * so a decline of an earlier round can never decline a remediated number again.
 */
@Injectable()
export class RegulatoryCaseRepository {
  constructor(private readonly db: Database) {}

  async create(tx: Tx, input: NewRegulatoryCase): Promise<RegulatoryCase> {
    const now = input.now ?? new Date();
    return tx
      .insertInto('regulatoryCases')
      .values({
        id: newId(now),
        accountId: input.accountId,
        numberId: input.numberId,
        country: input.country,
        numberType: input.numberType,
        ...json(input.submission),
        requirementGroupId: input.reusedFrom?.requirementGroupId ?? null,
        reusedFromCaseId: input.reusedFrom?.caseId ?? null,
        submittedAt: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async findByNumber(numberId: string, tx?: Executor): Promise<RegulatoryCaseView | null> {
    const row = await (tx ?? this.db).selectFrom('regulatoryCases').selectAll().where('numberId', '=', numberId).executeTakeFirst();
    return row ? viewOfCase(row) : null;
  }

  /**
   * The corrected submission starts the next review round: the verdict of the last one is
   * cleared; its reason and fields to fix are kept (the resubmission sends those fields) until
   * the next verdict replaces them.
   */
  async recordCorrections(tx: Tx, caseId: string, submission: KycSubmission, now: Date = new Date()): Promise<RegulatoryCase> {
    return tx
      .updateTable('regulatoryCases')
      .set((eb) => ({ ...json(submission), reviewRound: eb('reviewRound', '+', 1), verdict: null, decidedAt: null, submittedAt: now }))
      .where('id', '=', caseId)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Stores the carrier's requirement group on the number's case; keeps one stored before (the number's copy: PhoneNumberRecords). */
  async recordRequirementGroup(numberId: string, requirementGroupId: string, tx?: Executor): Promise<void> {
    await (tx ?? this.db).updateTable('regulatoryCases').set({ requirementGroupId }).where('numberId', '=', numberId).where('requirementGroupId', 'is', null).execute();
  }

  /** The carrier is (about to be) asked to review `round`: its verdicts count from now on. */
  async markSubmitted(numberId: string, round: number, tx?: Executor): Promise<void> {
    await (tx ?? this.db).updateTable('regulatoryCases').set({ submittedRound: round }).where('numberId', '=', numberId).where('submittedRound', '<', round).execute();
  }

  /**
   * Records the carrier's verdict on the case's current round, once: false when that round
   * already has this verdict (a repeated webhook) or the round moved on.
   */
  async recordVerdict(
    numberId: string,
    round: number,
    verdict: { verdict: RegulatoryVerdict; declineReason?: string | null; fieldsToFix?: string[]; at: Date },
    tx?: Executor,
  ): Promise<boolean> {
    const result = await (tx ?? this.db)
      .updateTable('regulatoryCases')
      .set({ verdict: verdict.verdict, declineReason: verdict.declineReason ?? null, fieldsToFix: jsonb(verdict.fieldsToFix ?? []), decidedAt: verdict.at })
      .where('numberId', '=', numberId)
      .where('reviewRound', '=', round)
      .where('submittedRound', '=', round)
      .where((eb) => eb.or([eb('verdict', 'is', null), eb('verdict', '<>', verdict.verdict)]))
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /**
   * Records the verdict (as `recordVerdict`) and, when it is new, what follows from it (`follow`),
   * in one transaction: the verdict counts once, and never without what it causes. Null when the
   * verdict was recorded already.
   */
  async recordVerdictWith<T>(
    numberId: string,
    round: number,
    verdict: { verdict: RegulatoryVerdict; declineReason?: string | null; fieldsToFix?: string[]; at: Date },
    follow: (tx: Tx) => Promise<T>,
  ): Promise<T | null> {
    return this.db.transaction().execute(async (tx) => ((await this.recordVerdict(numberId, round, verdict, tx)) ? follow(tx) : null));
  }

  /**
   * Approved verifications of the account for a country and number type, newest first, one per
   * requirement group. The number's E.164 is joined in here rather than read through
   * PhoneNumberRecords: one statement for the whole list instead of one more per verification.
   */
  async reusable(accountId: string, country: string, numberType: NumberType, tx?: Executor): Promise<ReusableVerification[]> {
    const rows = await (tx ?? this.db)
      .selectFrom('regulatoryCases as c')
      .innerJoin('phoneNumbers as n', 'n.id', 'c.numberId')
      .selectAll('c')
      .select('n.phoneNumber as fromPhoneNumber')
      .where('c.accountId', '=', accountId)
      .where('c.country', '=', country)
      .where('c.numberType', '=', numberType)
      .where('c.verdict', '=', 'approved')
      .where('c.requirementGroupId', 'is not', null)
      .orderBy('c.submittedAt', 'desc')
      .orderBy('c.id', 'desc')
      .execute();
    const seen = new Set<string>();
    const options: ReusableVerification[] = [];
    for (const { fromPhoneNumber, ...row } of rows) {
      const requirementGroupId = row.requirementGroupId as string;
      if (seen.has(requirementGroupId)) continue;
      seen.add(requirementGroupId);
      options.push({ caseId: row.id, requirementGroupId, fromPhoneNumber, submittedAt: row.submittedAt, view: viewOfCase(row) });
    }
    return options;
  }

  /** The identity requirements a country's numbers are reviewed against, as stored on the country. */
  async requirementsOfCountry(country: string, tx?: Executor): Promise<unknown> {
    const row = await (tx ?? this.db).selectFrom('countries').select('kycRequirements').where('code', '=', country).executeTakeFirst();
    return row?.kycRequirements;
  }
}
