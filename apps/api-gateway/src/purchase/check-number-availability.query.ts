import { Injectable } from '@nestjs/common';
import { type AddressConstraint, type AreaOption, addressConstraintOf, areaOptionsOf } from './area-options';
import { CarrierInventory } from './carrier-inventory';
import type { AvailabilityQuery } from './purchase.params';

/** `CheckWhatsAppNumberAvailabilityResponse` of the `@zernio/node` SDK. */
export interface AvailabilityView {
  country: string;
  numberType: string;
  available: boolean;
  preOrderable: boolean;
  addressConstraint: AddressConstraint;
  areas: string[];
  areaOptions: AreaOption[];
  soldOutAreas: Array<{ ndc: string; name: string; preOrderable: boolean }>;
}

/** The carrier's largest page: what one look at the inventory sees. */
const INVENTORY_PAGE = 100;

/**
 * Whether a (country, type) has stock now, from one page of the carrier's inventory grouped by
 * area. We do not pre-order and keep no stock history, so `preOrderable` is false and
 * `soldOutAreas` empty. `areas` (geo constraint only) names the areas an address may be in.
 */
@Injectable()
export class CheckNumberAvailabilityQuery {
  constructor(private readonly inventory: CarrierInventory) {}

  async execute(query: AvailabilityQuery, requestId: string): Promise<AvailabilityView> {
    const country = await this.inventory.country(query.country);
    const numberType = query.numberType ?? country.defaultNumberType;
    const found = country.available
      ? await this.inventory.search(
          { country: country.code, numberType, limit: INVENTORY_PAGE, ...(query.sms ? { features: ['sms'] } : {}) },
          requestId,
        )
      : [];
    const areaOptions = areaOptionsOf(found, country.code);
    const addressConstraint = addressConstraintOf(country.kycRequirements, numberType);
    return {
      country: country.code,
      numberType,
      available: found.length > 0,
      preOrderable: false,
      addressConstraint,
      areas: addressConstraint === 'geo' ? areaOptions.map((area) => area.name) : [],
      areaOptions,
      soldOutAreas: [],
    };
  }
}
