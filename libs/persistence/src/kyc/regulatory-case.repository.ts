import { Injectable } from '@nestjs/common';
import { newId, type KycAddressInput, type KycSubmission } from '@numbers/domain';
import { Database, type Executor, type Tx } from '../database/database';
import type { NumberType, RegulatoryCase } from '../database/rows';
import { KycVault } from './kyc-vault';

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

function addressOf(value: unknown): KycAddressInput | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as KycAddressInput) : null;
}

/** A jsonb value as a parameter: serialized here, since pg would send a JS array as a PostgreSQL array. */
function jsonb(value: unknown): string {
  return JSON.stringify(value);
}

/** What the customer submitted, as it is encrypted in `sealed_submission` (the documents stay in clear: ids only). */
interface SealedSubmission {
  values: Record<string, string>;
  address: KycAddressInput | null;
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
  constructor(
    private readonly db: Database,
    private readonly vault: KycVault,
  ) {}

  async create(tx: Tx, input: NewRegulatoryCase): Promise<RegulatoryCase> {
    const now = input.now ?? new Date();
    const id = newId(now);
    return tx
      .insertInto('regulatoryCases')
      .values({
        id,
        accountId: input.accountId,
        numberId: input.numberId,
        country: input.country,
        numberType: input.numberType,
        ...this.stored(id, input.submission),
        requirementGroupId: input.reusedFrom?.requirementGroupId ?? null,
        reusedFromCaseId: input.reusedFrom?.caseId ?? null,
        submittedAt: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /**
   * The number's case, read for use: a case stored before encryption is sealed now, and one whose
   * data key is under a retired KYC key has it sealed again under the current one (`refreshSealing`).
   */
  async findByNumber(numberId: string, tx?: Executor): Promise<RegulatoryCaseView | null> {
    const row = await (tx ?? this.db).selectFrom('regulatoryCases').selectAll().where('numberId', '=', numberId).executeTakeFirst();
    if (!row) return null;
    const view = this.viewOf(row);
    await this.refreshSealing(view, tx);
    return view;
  }

  /**
   * Seals a case stored before encryption, or seals its data key again when a rotation retired
   * the key that sealed it; each write only if the row is still as read (a newer write wins).
   * True when it wrote. Erased cases hold nothing to seal.
   */
  async refreshSealing({ row, submission }: RegulatoryCaseView, tx?: Executor): Promise<boolean> {
    if (row.kycErasedAt) return false;
    const db = tx ?? this.db;
    if (row.dataKeySealed === null) {
      const result = await db.updateTable('regulatoryCases').set(this.stored(row.id, submission)).where('id', '=', row.id).where('dataKeySealed', 'is', null).where('kycErasedAt', 'is', null).executeTakeFirst();
      return result.numUpdatedRows === 1n;
    }
    const rewrapped = this.vault.rewrap(row.dataKeySealed, row.id);
    if (!rewrapped) return false;
    const result = await db.updateTable('regulatoryCases').set({ dataKeySealed: rewrapped }).where('id', '=', row.id).where('dataKeySealed', '=', row.dataKeySealed).executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /** `refreshSealing` over every case that keeps its KYC, `batch` a read: how many were written (key rotation, cases stored before encryption). */
  async refreshSealingAll(batch: number): Promise<number> {
    let written = 0;
    for (let after = ''; ; ) {
      const rows = await this.db.selectFrom('regulatoryCases').selectAll().where('kycErasedAt', 'is', null).where('id', '>', after).orderBy('id').limit(batch).execute();
      for (const row of rows) if (await this.refreshSealing(this.viewOf(row))) written += 1;
      if (rows.length < batch) break;
      after = rows[rows.length - 1]?.id ?? after;
    }
    return written;
  }

  /** The stored columns of a case as the domain reads them: the sealed values opened, or those of a case stored before encryption. */
  viewOf(row: RegulatoryCase): RegulatoryCaseView {
    const fieldsToFix = Array.isArray(row.fieldsToFix) ? row.fieldsToFix.filter((id): id is string => typeof id === 'string') : [];
    const documents = record(row.documents);
    if (row.sealedSubmission !== null && row.dataKeySealed !== null) {
      const opened = JSON.parse(this.vault.open({ ciphertext: row.sealedSubmission, dataKeySealed: row.dataKeySealed }, row.id).toString('utf8')) as SealedSubmission;
      return { row, submission: { values: record(opened.values), documents, address: addressOf(opened.address) }, fieldsToFix };
    }
    return { row, submission: { values: record(row.submittedValues), documents, address: addressOf(row.address) }, fieldsToFix };
  }

  /**
   * The corrected submission starts the next review round: the verdict of the last one is
   * cleared; its reason and fields to fix are kept (the resubmission sends those fields) until
   * the next verdict replaces them.
   */
  async recordCorrections(tx: Tx, caseId: string, submission: KycSubmission, now: Date = new Date()): Promise<RegulatoryCase> {
    return tx
      .updateTable('regulatoryCases')
      .set((eb) => ({ ...this.stored(caseId, submission), reviewRound: eb('reviewRound', '+', 1), verdict: null, decidedAt: null, submittedAt: now }))
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
      // An erased case holds nothing left to show or copy.
      .where('c.kycErasedAt', 'is', null)
      .orderBy('c.submittedAt', 'desc')
      .orderBy('c.id', 'desc')
      .execute();
    const seen = new Set<string>();
    const options: ReusableVerification[] = [];
    for (const { fromPhoneNumber, ...row } of rows) {
      const requirementGroupId = row.requirementGroupId as string;
      if (seen.has(requirementGroupId)) continue;
      seen.add(requirementGroupId);
      options.push({ caseId: row.id, requirementGroupId, fromPhoneNumber, submittedAt: row.submittedAt, view: this.viewOf(row) });
    }
    return options;
  }

  /** The identity requirements a country's numbers are reviewed against, as stored on the country. */
  async requirementsOfCountry(country: string, tx?: Executor): Promise<unknown> {
    const row = await (tx ?? this.db).selectFrom('countries').select('kycRequirements').where('code', '=', country).executeTakeFirst();
    return row?.kycRequirements;
  }

  /**
   * The columns a submission is stored in: the values and address encrypted under a new data key
   * (`sealed_submission`, `data_key_sealed`), their clear columns emptied; the documents' ids in clear.
   */
  private stored(caseId: string, submission: KycSubmission) {
    const sealed: SealedSubmission = { values: submission.values, address: submission.address };
    const { ciphertext, dataKeySealed } = this.vault.seal(Buffer.from(JSON.stringify(sealed), 'utf8'), caseId);
    return { submittedValues: jsonb({}), address: null, documents: jsonb(submission.documents), sealedSubmission: ciphertext, dataKeySealed };
  }
}
