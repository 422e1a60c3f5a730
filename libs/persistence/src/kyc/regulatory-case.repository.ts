import { Injectable } from '@nestjs/common';
import { newId, type KycAddressInput, type KycSubmission } from '@numbers/domain';
import type { NumberStatus } from '@numbers/contracts';
import type { NumberType, Prisma, RegulatoryCase } from '@prisma/client';
import type { Db } from '../accounts/db';
import { PrismaService, type PrismaTx } from '../prisma/prisma.service';

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

/** A declined number of the account, locked for its remediation. */
export interface LockedDeclinedNumber {
  numberId: string;
  status: NumberStatus;
  country: string;
  numberType: NumberType;
  endUserFirstName: string | null;
  endUserLastName: string | null;
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

function json(submission: KycSubmission): Pick<Prisma.RegulatoryCaseUncheckedCreateInput, 'submittedValues' | 'documents' | 'address'> {
  return {
    submittedValues: submission.values,
    documents: submission.documents,
    address: (submission.address ?? undefined) as Prisma.InputJsonValue | undefined,
  };
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
  constructor(private readonly prisma: PrismaService) {}

  async create(tx: PrismaTx, input: NewRegulatoryCase): Promise<RegulatoryCase> {
    const now = input.now ?? new Date();
    return tx.regulatoryCase.create({
      data: {
        id: newId(now),
        accountId: input.accountId,
        numberId: input.numberId,
        country: input.country,
        numberType: input.numberType,
        ...json(input.submission),
        requirementGroupId: input.reusedFrom?.requirementGroupId ?? null,
        reusedFromCaseId: input.reusedFrom?.caseId ?? null,
        submittedAt: now,
      },
    });
  }

  async findByNumber(numberId: string, db?: Db): Promise<RegulatoryCaseView | null> {
    const row = await (db ?? this.prisma).regulatoryCase.findUnique({ where: { numberId } });
    return row ? viewOfCase(row) : null;
  }

  /** The account's number, locked (`FOR UPDATE`) so one remediation of it runs at a time; null when not the account's. */
  async lockNumber(tx: PrismaTx, accountId: string, numberId: string): Promise<LockedDeclinedNumber | null> {
    const rows = await tx.$queryRaw<LockedDeclinedNumber[]>`
      SELECT id AS "numberId", status::text AS status, country, number_type::text AS "numberType",
             end_user_first_name AS "endUserFirstName", end_user_last_name AS "endUserLastName"
      FROM phone_numbers WHERE id = ${numberId} AND account_id = ${accountId}
      FOR UPDATE`;
    return rows[0] ?? null;
  }

  /**
   * The corrected submission starts the next review round: the verdict of the last one is
   * cleared; its reason and fields to fix are kept (the resubmission sends those fields) until
   * the next verdict replaces them.
   */
  async recordCorrections(tx: PrismaTx, caseId: string, submission: KycSubmission, now: Date = new Date()): Promise<RegulatoryCase> {
    return tx.regulatoryCase.update({
      where: { id: caseId },
      data: { ...json(submission), reviewRound: { increment: 1 }, verdict: null, decidedAt: null, submittedAt: now },
    });
  }

  /** Stores the carrier's requirement group on the case and the number; keeps one stored before. */
  async recordRequirementGroup(numberId: string, requirementGroupId: string, db?: Db): Promise<void> {
    const client = db ?? this.prisma;
    await client.regulatoryCase.updateMany({ where: { numberId, requirementGroupId: null }, data: { requirementGroupId } });
    await client.phoneNumber.updateMany({ where: { id: numberId, requirementGroupId: null }, data: { requirementGroupId } });
  }

  /** The carrier is (about to be) asked to review `round`: its verdicts count from now on. */
  async markSubmitted(numberId: string, round: number, db?: Db): Promise<void> {
    await (db ?? this.prisma).regulatoryCase.updateMany({ where: { numberId, submittedRound: { lt: round } }, data: { submittedRound: round } });
  }

  /**
   * Records the carrier's verdict on the case's current round, once: false when that round
   * already has this verdict (a repeated webhook) or the round moved on.
   */
  async recordVerdict(
    db: Db,
    numberId: string,
    round: number,
    verdict: { verdict: RegulatoryVerdict; declineReason?: string | null; fieldsToFix?: string[]; at: Date },
  ): Promise<boolean> {
    const { count } = await db.regulatoryCase.updateMany({
      where: { numberId, reviewRound: round, submittedRound: round, OR: [{ verdict: null }, { verdict: { not: verdict.verdict } }] },
      data: {
        verdict: verdict.verdict,
        declineReason: verdict.declineReason ?? null,
        fieldsToFix: verdict.fieldsToFix ?? [],
        decidedAt: verdict.at,
      },
    });
    return count === 1;
  }

  /** Approved verifications of the account for a country and number type, newest first, one per requirement group. */
  async reusable(accountId: string, country: string, numberType: NumberType, db?: Db): Promise<ReusableVerification[]> {
    const rows = await (db ?? this.prisma).regulatoryCase.findMany({
      where: { accountId, country, numberType, verdict: 'approved', requirementGroupId: { not: null } },
      orderBy: [{ submittedAt: 'desc' }, { id: 'desc' }],
      include: { number: { select: { phoneNumber: true } } },
    });
    const seen = new Set<string>();
    const options: ReusableVerification[] = [];
    for (const { number, ...row } of rows) {
      const requirementGroupId = row.requirementGroupId as string;
      if (seen.has(requirementGroupId)) continue;
      seen.add(requirementGroupId);
      options.push({ caseId: row.id, requirementGroupId, fromPhoneNumber: number.phoneNumber, submittedAt: row.submittedAt, view: viewOfCase(row) });
    }
    return options;
  }

  /** Whether the account has a number of this country in review (`pending_regulatory`). */
  async hasPendingReview(accountId: string, country: string, db?: Db): Promise<boolean> {
    const found = await (db ?? this.prisma).phoneNumber.findFirst({ where: { accountId, country, status: 'pending_regulatory' }, select: { id: true } });
    return found !== null;
  }
}
