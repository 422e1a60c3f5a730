import { Injectable } from '@nestjs/common';
import { CarrierInventory } from './carrier-inventory';
import type { SearchAvailableQuery } from './purchase.params';

/** `SearchAvailableWhatsAppNumbersResponse` of the `@zernio/node` SDK. */
export interface AvailableNumbersView {
  country: string;
  numberType: string;
  numbers: Array<{ phoneNumber: string; locality: string | null; bestEffort: boolean }>;
}

/**
 * Inventory search through the carrier: numbers that could be bought now, of the country's
 * default type unless another is asked for. A country we sell in but that is out of stock
 * answers an empty list. The carrier's best-effort matches are not offered (the search asks
 * for exact matches), so `bestEffort` is always false.
 */
@Injectable()
export class SearchAvailableNumbersQuery {
  constructor(private readonly inventory: CarrierInventory) {}

  async execute(query: SearchAvailableQuery, requestId: string): Promise<AvailableNumbersView> {
    const country = await this.inventory.country(query.country);
    const numberType = query.numberType ?? country.defaultNumberType;
    if (!country.available) return { country: country.code, numberType, numbers: [] };
    const found = await this.inventory.search(
      {
        country: country.code,
        numberType,
        ...(query.areaCode ? { areaCode: query.areaCode } : {}),
        ...(query.contains ? { contains: query.contains.replace(/^\+/, '') } : {}),
        ...(query.locality ? { locality: query.locality } : {}),
        ...(query.limit !== undefined ? { limit: query.limit } : {}),
      },
      requestId,
    );
    return {
      country: country.code,
      numberType,
      numbers: found.map((number) => ({ phoneNumber: number.phoneNumber, locality: number.locality, bestEffort: false })),
    };
  }
}
