import { Injectable } from '@nestjs/common';
import { invalidParam, kycRequirementsFor, type KycRequirement } from '@numbers/domain';
import type { NumberType, PurchaseCountry } from '@numbers/persistence';
import { CarrierInventory } from '../purchase/carrier-inventory';

export interface KycCountry {
  country: PurchaseCountry;
  numberType: NumberType;
  /** The fields of its form for that type. */
  requirements: KycRequirement[];
}

/**
 * The country of a KYC request: one we sell in (else 400 `country`), that needs identity review
 * (else 400 `country`: buy it with the purchase endpoint), in the type we order there (the
 * country's default: another `numberType` is 400).
 */
@Injectable()
export class KycCountries {
  constructor(private readonly inventory: CarrierInventory) {}

  async resolve(code: string, numberType?: string): Promise<KycCountry> {
    const country = await this.inventory.country(code);
    if (!country.needsKyc) {
      throw invalidParam('country', `Invalid country: ${country.code} needs no identity review, buy with POST /v1/whatsapp/phone-numbers/purchase`);
    }
    if (numberType !== undefined && numberType !== country.defaultNumberType) {
      throw invalidParam('numberType', `Invalid numberType: ${country.code} numbers are sold as ${country.defaultNumberType}`);
    }
    return { country, numberType: country.defaultNumberType, requirements: kycRequirementsFor(country.kycRequirements, country.defaultNumberType) };
  }
}
