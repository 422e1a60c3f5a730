import { Injectable } from '@nestjs/common';
import { checkKycSubmission, DomainError, invalidParam, registrantNameOf, type KycAddressInput, type KycSubmission } from '@numbers/domain';
import { PhoneNumberReadRepository, PhoneNumberRecords, RegulatoryCaseRepository, type ReusableVerification, type Tx } from '@numbers/persistence';
import { NumberPurchase, type NumberPurchaseOutcome } from '../purchase/number-purchase';
import { KycCountries, type KycCountry } from './kyc-country';
import { KycDocuments, type PreparedDocument } from './kyc-documents';
import { throwIfIssues } from './kyc-issues';
import type { SubmitKycBody } from './kyc.params';

export interface SubmitKycCommand extends SubmitKycBody {
  accountId: string;
  requestId: string;
}

export interface SubmittedNumber {
  id: string;
  status: string;
  phoneNumber: string | null;
  country: string;
}

export interface SubmitKycBodyOut {
  status: 'kyc_submitted' | 'kyc_reused' | 'kyc_already_submitted';
  message: string;
  /** The first number is paid at Stripe Checkout first (not in the SDK's type: SPEC "Purchase"). */
  checkoutUrl?: string;
  preOrder: false;
  phoneNumber: { id: string; status: string; country: string };
  numbers: SubmittedNumber[];
}

export type SubmitKycResult = { status: 200; body: SubmitKycBodyOut };

type Prepared =
  | { kind: 'fields'; submission: KycSubmission; documents: PreparedDocument[] }
  | { kind: 'reuse'; verification: ReusableVerification };

/**
 * `POST /v1/whatsapp/phone-numbers/kyc`: the purchase of a number in a country that needs
 * identity review. Everything the customer sent is checked first (the country's form: every
 * field, its format, the address rules, the documents), then the number is bought exactly like
 * any purchase (`NumberPurchase`: the same rules, `submissionId` as the purchase intent, Checkout
 * for a first number or the subscription for a later one) and its regulatory case (what was
 * submitted; the inline documents stored) is written in the purchase's transaction. The
 * provisioning worker takes it from `provisioning`: the carrier's requirement group, its review.
 *
 * `reuse` (optionally `reuseOptionId` or `reuseFrom`) copies an approved verification of the
 * account for the same country and type instead of a new submission: the number is ordered with
 * its approved requirement group at once. Not supported: `quantity` above 1, `areaCode`,
 * `preOrder` (400 naming them).
 */
@Injectable()
export class SubmitKycUseCase {
  constructor(
    private readonly countries: KycCountries,
    private readonly purchase: NumberPurchase,
    private readonly documents: KycDocuments,
    private readonly cases: RegulatoryCaseRepository,
    private readonly numbers: PhoneNumberReadRepository,
    private readonly records: PhoneNumberRecords,
  ) {}

  /**
   * `alsoWithNumber` runs in the purchase's transaction once the number exists (a hosted link
   * records its one use there): when it throws, nothing of the purchase is kept.
   */
  async execute(command: SubmitKycCommand, now: Date = new Date(), alsoWithNumber?: (tx: Tx, numberId: string) => Promise<void>): Promise<SubmitKycResult> {
    if (command.quantity !== undefined && command.quantity > 1) throw invalidParam('quantity', 'Invalid quantity: one number per submission for now');
    if (command.areaCode !== undefined) throw invalidParam('areaCode', 'Invalid areaCode: regulated numbers cannot be ordered by area yet, omit it');
    if (command.preOrder === true) throw invalidParam('preOrder', 'Invalid preOrder: pre-orders are not offered');
    const kyc = await this.countries.resolve(command.country);
    await this.purchase.checkProfile(command.accountId, command.profileId);
    const prepared = await this.prepare(command, kyc);
    const endUser = { firstName: command.endUserFirstName, lastName: command.endUserLastName };

    const outcome = await this.purchase.buy(
      {
        accountId: command.accountId,
        profileId: command.profileId,
        country: kyc.country,
        purchaseIntentId: command.submissionId,
        allowMultiple: command.allowMultiple,
        requestId: command.requestId,
        regulatory: {
          withNumber: async (tx, number) => {
            const submission =
              prepared.kind === 'reuse'
                ? prepared.verification.view.submission
                : { ...prepared.submission, documents: await this.documents.store(command.accountId, prepared.documents, tx) };
            await this.cases.create(tx, {
              accountId: command.accountId,
              numberId: number.id,
              country: kyc.country.code,
              numberType: kyc.numberType,
              submission,
              reusedFrom:
                prepared.kind === 'reuse' ? { caseId: prepared.verification.caseId, requirementGroupId: prepared.verification.requirementGroupId } : undefined,
              now,
            });
            await this.records.update(
              number.id,
              {
                registrantName: registrantNameOf(submission.address, endUser),
                endUserFirstName: command.endUserFirstName ?? null,
                endUserLastName: command.endUserLastName ?? null,
              },
              tx,
            );
            await alsoWithNumber?.(tx, number.id);
          },
        },
      },
      now,
    );
    return { status: 200, body: await this.answer(command.accountId, prepared.kind === 'reuse' ? 'kyc_reused' : 'kyc_submitted', outcome) };
  }

  private async prepare(command: SubmitKycCommand, kyc: KycCountry): Promise<Prepared> {
    const fieldsGiven = command.values !== undefined || command.documents !== undefined || command.address !== undefined;
    if (command.reuse || command.reuseOptionId !== undefined || command.reuseFrom !== undefined) {
      if (fieldsGiven) throw invalidParam('reuse', 'Invalid reuse: reuse a verification or send the fields, not both');
      return { kind: 'reuse', verification: await this.reusable(command, kyc) };
    }
    const { prepared: documents, issues: documentIssues } = await this.documents.prepare(command.accountId, command.documents ?? []);
    const submission: KycSubmission = {
      values: command.values ?? {},
      // Keys only, for the form's rules; the ids of inline documents exist once they are stored.
      documents: Object.fromEntries(documents.map((doc) => [doc.requirementId, doc.kind === 'uploaded' ? doc.documentId : 'inline'])),
      address: (command.address as KycAddressInput | undefined) ?? null,
    };
    const fieldIssues = checkKycSubmission(submission, {
      requirements: kyc.requirements,
      country: kyc.country.code,
      numberType: kyc.numberType,
      endUser: { firstName: command.endUserFirstName, lastName: command.endUserLastName },
    });
    // A document sent but refused is named by its own issue, not again as missing.
    const refused = new Set((command.documents ?? []).map((doc) => doc.requirementId).filter((id) => !(id in submission.documents)));
    throwIfIssues([...documentIssues, ...fieldIssues.filter((issue) => ![...refused].some((id) => issue.param === `documents.${id}`))]);
    return { kind: 'fields', submission, documents };
  }

  private async reusable(command: SubmitKycCommand, kyc: KycCountry): Promise<ReusableVerification> {
    const options = await this.cases.reusable(command.accountId, kyc.country.code, kyc.numberType);
    const chosen = command.reuseOptionId
      ? options.find((option) => option.caseId === command.reuseOptionId)
      : command.reuseFrom
        ? options.find((option) => option.fromPhoneNumber === command.reuseFrom)
        : options[0];
    if (!chosen) {
      const which = command.reuseOptionId ? ` ${command.reuseOptionId}` : command.reuseFrom ? ` from ${command.reuseFrom}` : '';
      throw new DomainError('KYC_REUSE_NOT_FOUND', `No approved verification${which} of yours for ${kyc.country.code} ${kyc.numberType} numbers to reuse`, {
        param: command.reuseOptionId ? 'reuseOptionId' : command.reuseFrom ? 'reuseFrom' : 'reuse',
      });
    }
    return chosen;
  }

  private async answer(accountId: string, submitted: 'kyc_submitted' | 'kyc_reused', outcome: NumberPurchaseOutcome): Promise<SubmitKycBodyOut> {
    if (outcome.kind === 'kyc_required') throw new Error('a KYC submission cannot answer kyc_required');
    const numberId = outcome.numberId;
    const row = await this.numbers.findForAccount(accountId, numberId);
    if (!row) throw new Error(`number ${numberId} of a KYC submission is not found`);
    const number = { id: row.id, status: row.status, phoneNumber: row.phoneNumber, country: row.country };
    const base = { preOrder: false as const, phoneNumber: { id: number.id, status: number.status, country: number.country }, numbers: [number] };
    switch (outcome.kind) {
      case 'already_purchased':
        return { status: 'kyc_already_submitted', message: 'This submission was received already: the number it bought', ...base };
      case 'checkout':
        return {
          status: submitted,
          message: 'KYC received: complete the payment at checkoutUrl, then the number goes to regulatory review',
          checkoutUrl: outcome.checkoutUrl,
          ...base,
        };
      case 'provisioning':
        return { status: submitted, message: 'KYC received: the number is paid for and goes to regulatory review', ...base };
    }
  }
}
