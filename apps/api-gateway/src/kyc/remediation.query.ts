import { Injectable } from '@nestjs/common';
import { DomainError, kycRequirementsFor, notFound, type KycRequirement } from '@numbers/domain';
import { PhoneNumberReadRepository, PurchaseRepository, RegulatoryCaseRepository } from '@numbers/persistence';

export interface RemediationView {
  country: string;
  numberType: string;
  declineReason: string | null;
  /** The declined fields, in the shape of the KYC form's fields. */
  fields: KycRequirement[];
}

export function notDeclined(status: string): DomainError {
  return new DomainError('NUMBER_NOT_DECLINED', `Only a number in regulatory_declined can be remediated: this one is ${status}`);
}

/** Declined, yet no KYC submission of it is on record: nothing to show or correct. */
export function caseMissing(numberId: string): DomainError {
  return new DomainError(
    'KYC_CASE_MISSING',
    `Number ${numberId} is regulatory_declined but has no KYC review case on record, so there is nothing to remediate: submit KYC for a new number instead`,
  );
}

/**
 * `GET /v1/whatsapp/phone-numbers/{id}/remediate`: what the reviewer declined, for a number in
 * `regulatory_declined` (another state is 409 NUMBER_NOT_DECLINED, no review case of it 409
 * KYC_CASE_MISSING; another account's number 404):
 * the reason and the fields to correct, as the KYC form shows fields.
 */
@Injectable()
export class RemediationQuery {
  constructor(
    private readonly numbers: PhoneNumberReadRepository,
    private readonly cases: RegulatoryCaseRepository,
    private readonly purchases: PurchaseRepository,
  ) {}

  async execute(accountId: string, numberId: string): Promise<RemediationView> {
    const number = await this.numbers.findForAccount(accountId, numberId);
    if (!number) throw notFound('Phone number');
    if (number.status !== 'regulatory_declined') throw notDeclined(number.status);
    const kyc = await this.cases.findByNumber(numberId);
    if (!kyc) throw caseMissing(numberId);
    const country = await this.purchases.findCountry(kyc.row.country);
    const form = kycRequirementsFor(country?.kycRequirements, kyc.row.numberType);
    const toFix = new Set(kyc.fieldsToFix);
    return {
      country: kyc.row.country,
      numberType: kyc.row.numberType,
      declineReason: kyc.row.declineReason ?? number.regulatoryDeclineReason,
      fields: form.filter((field) => toFix.has(field.requirementId)),
    };
  }
}
