import { Injectable } from '@nestjs/common';
import { describeKycSubmission, type KycRequirement } from '@numbers/domain';
import { AccountNumberRecords, RegulatoryCaseRepository } from '@numbers/persistence';
import { NumberPurchase } from '../purchase/number-purchase';
import { KycCountries } from './kyc-country';

export interface ReusableDetail {
  label: string;
  value: string;
  documentId?: string;
}

export interface KycFormView {
  country: string;
  numberType: string;
  fields: KycRequirement[];
  reusable: {
    available: true;
    fromPhoneNumber: string | null;
    details: ReusableDetail[];
    options: { id: string; fromPhoneNumber: string | null; instant: true; details: ReusableDetail[] }[];
  } | null;
  pendingReview: boolean;
}

/**
 * `GET /v1/whatsapp/phone-numbers/kyc` (the `@zernio/node` GetWhatsAppNumberKycFormResponse): the
 * fields a country asks for its number type; the account's approved verifications for that
 * country and type, newest first, which a submission may reuse (`reuseOptionId` = the option's
 * id; `instant`: the carrier's group is approved, so the number is ordered at once); and whether
 * a number of the account is in review there now (informational).
 */
@Injectable()
export class KycFormQuery {
  constructor(
    private readonly countries: KycCountries,
    private readonly purchase: NumberPurchase,
    private readonly cases: RegulatoryCaseRepository,
    private readonly numbers: AccountNumberRecords,
  ) {}

  async execute(input: { accountId: string; profileId: string; country: string; numberType?: string }): Promise<KycFormView> {
    const { country, numberType, requirements } = await this.countries.resolve(input.country, input.numberType);
    await this.purchase.checkProfile(input.accountId, input.profileId);
    const [verifications, pendingReview] = await Promise.all([
      this.cases.reusable(input.accountId, country.code, numberType),
      this.numbers.hasPendingReview(input.accountId, country.code),
    ]);
    const options = verifications.map((option) => ({
      id: option.caseId,
      fromPhoneNumber: option.fromPhoneNumber,
      instant: true as const,
      details: describeKycSubmission(requirements, option.view.submission),
    }));
    return {
      country: country.code,
      numberType,
      fields: requirements,
      reusable: options.length > 0 ? { available: true, fromPhoneNumber: options[0].fromPhoneNumber, details: options[0].details, options } : null,
      pendingReview,
    };
  }
}
