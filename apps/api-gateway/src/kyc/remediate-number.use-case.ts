import { Injectable } from '@nestjs/common';
import { jobRequest } from '@numbers/contracts';
import { applyKycCorrections, checkKycRemediation, kycRequirementsFor, notFound, registrantNameOf, type KycAddressInput, type KycSubmission } from '@numbers/domain';
import { NumberLifecycle, OutboxRepository, PhoneNumberReadRepository, PurchaseRepository, RegulatoryCaseRepository } from '@numbers/persistence';
import { KycDocuments } from './kyc-documents';
import { throwIfIssues } from './kyc-issues';
import type { RemediateBody } from './kyc.params';
import { caseMissing, notDeclined } from './remediation.query';

export interface RemediateNumberCommand extends RemediateBody {
  accountId: string;
  phoneNumberId: string;
  requestId: string;
}

export interface RemediateNumberResult {
  status: 200;
  body: { status: 'resubmitted'; phoneNumber: { id: string; status: 'pending_regulatory' } };
}

/**
 * `POST /v1/whatsapp/phone-numbers/{id}/remediate`: the corrections of a declined submission.
 * Only a number in `regulatory_declined` (409 NUMBER_NOT_DECLINED otherwise), and only the
 * declined fields, every one of them (400 naming each missing or wrong field). In one
 * transaction, with the number locked: the corrections replace the stored answers (inline
 * documents stored), the case starts its next review round, `remediation_submitted` moves the
 * number back to `pending_regulatory` (reason cleared), and `resubmit-requirement-group` asks the
 * provisioning worker to send them to the same requirement group. No new number, no new charge:
 * nothing here touches the purchase or billing.
 */
@Injectable()
export class RemediateNumberUseCase {
  constructor(
    private readonly numbers: PhoneNumberReadRepository,
    private readonly cases: RegulatoryCaseRepository,
    private readonly purchases: PurchaseRepository,
    private readonly documents: KycDocuments,
    private readonly lifecycle: NumberLifecycle,
    private readonly outbox: OutboxRepository,
  ) {}

  async execute(command: RemediateNumberCommand): Promise<RemediateNumberResult> {
    const number = await this.numbers.findForAccount(command.accountId, command.phoneNumberId);
    if (!number) throw notFound('Phone number');
    if (number.status !== 'regulatory_declined') throw notDeclined(number.status);
    const { prepared, issues: documentIssues } = await this.documents.prepare(command.accountId, command.documents ?? []);

    await this.numbers.withNumberLocked(command.accountId, command.phoneNumberId, async (locked, tx) => {
      if (!locked) throw notFound('Phone number');
      if (locked.status !== 'regulatory_declined') throw notDeclined(locked.status);
      const kyc = await this.cases.findByNumber(locked.id, tx);
      if (!kyc) throw caseMissing(locked.id);
      const country = await this.purchases.findCountry(locked.country, tx);
      const corrections: KycSubmission = {
        values: command.values ?? {},
        documents: Object.fromEntries(prepared.map((doc) => [doc.requirementId, doc.kind === 'uploaded' ? doc.documentId : 'inline'])),
        address: (command.address as KycAddressInput | undefined) ?? null,
      };
      const endUser = { firstName: locked.endUserFirstName ?? undefined, lastName: locked.endUserLastName ?? undefined };
      const fieldIssues = checkKycRemediation(
        corrections,
        { requirements: kycRequirementsFor(country?.kycRequirements, locked.numberType), country: locked.country, numberType: locked.numberType, endUser },
        kyc.fieldsToFix,
      );
      const refused = new Set((command.documents ?? []).map((doc) => doc.requirementId).filter((id) => !(id in corrections.documents)));
      throwIfIssues([...documentIssues, ...fieldIssues.filter((issue) => ![...refused].some((id) => issue.param === `documents.${id}`))]);

      const stored = { ...corrections, documents: await this.documents.store(command.accountId, prepared, tx) };
      const submission = applyKycCorrections(kyc.submission, stored);
      await this.cases.recordCorrections(tx, kyc.row.id, submission);
      await this.lifecycle.apply(
        locked.id,
        'remediation_submitted',
        {
          cause: command.requestId,
          actor: 'customer',
          patch: { regulatoryDeclineReason: null, ...(stored.address ? { registrantName: registrantNameOf(submission.address, endUser) } : {}) },
        },
        tx,
      );
      await this.outbox.add(tx, [jobRequest('resubmit-requirement-group', { numberId: locked.id })]);
    });
    return { status: 200, body: { status: 'resubmitted', phoneNumber: { id: command.phoneNumberId, status: 'pending_regulatory' } } };
  }
}
