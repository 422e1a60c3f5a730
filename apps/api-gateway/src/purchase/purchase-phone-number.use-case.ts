import { Injectable } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import type { PurchaseCountry } from '@numbers/persistence';
import type { PhoneNumberView } from '../numbers/phone-number.presenter';
import { CarrierInventory } from './carrier-inventory';
import { NumberPurchase } from './number-purchase';

export interface PurchasePhoneNumberCommand {
  accountId: string;
  profileId: string;
  /** ISO alpha-2, upper case. */
  country: string;
  /** An exact E.164 number from inventory search. */
  phoneNumber?: string;
  purchaseIntentId?: string;
  allowMultiple?: boolean;
  /** The cause recorded in the number's history. */
  requestId: string;
}

export type PurchaseResult =
  | { status: 200; body: { status: 'already_purchased'; numberId: string; phoneNumber: string | null } }
  | { status: 202; body: { status: 'kyc_required'; country: string; numberType: string; kycUrl: string } }
  | { status: 200; body: { message: string; checkoutUrl: string } }
  | { status: 200; body: { message: string; phoneNumber: PhoneNumberView } };

/**
 * `POST /v1/whatsapp/phone-numbers/purchase` (SPEC "Purchase"): the rules and the two ways to
 * pay are `NumberPurchase`'s (shared with the KYC submission); this answers in the purchase's
 * wire shapes. A country that needs identity review answers 202 `kyc_required` with the URL of
 * its KYC form (`GET /v1/whatsapp/phone-numbers/kyc`), where the purchase is completed.
 */
@Injectable()
export class PurchasePhoneNumberUseCase {
  constructor(
    private readonly purchase: NumberPurchase,
    private readonly inventory: CarrierInventory,
    private readonly config: AppConfig,
  ) {}

  async execute(command: PurchasePhoneNumberCommand, now: Date = new Date()): Promise<PurchaseResult> {
    const country = await this.inventory.country(command.country);
    const outcome = await this.purchase.buy({ ...command, country }, now);
    switch (outcome.kind) {
      case 'already_purchased':
        return { status: 200, body: { status: 'already_purchased', numberId: outcome.numberId, phoneNumber: outcome.phoneNumber } };
      case 'kyc_required':
        return { status: 202, body: this.kycRequired(country, command.profileId) };
      case 'provisioning':
        return { status: 200, body: { message: 'Phone number purchased: provisioning started', phoneNumber: outcome.phoneNumber } };
      case 'checkout':
        return { status: 200, body: { message: 'Complete the payment at checkoutUrl to start provisioning the number', checkoutUrl: outcome.checkoutUrl } };
    }
  }

  private kycRequired(country: PurchaseCountry, profileId: string): { status: 'kyc_required'; country: string; numberType: string; kycUrl: string } {
    const query = new URLSearchParams({ country: country.code, numberType: country.defaultNumberType, profileId });
    const base = this.config.gateway.publicBaseUrl.replace(/\/+$/, '');
    return { status: 'kyc_required', country: country.code, numberType: country.defaultNumberType, kycUrl: `${base}/v1/whatsapp/phone-numbers/kyc?${query}` };
  }
}
