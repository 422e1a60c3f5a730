import { Inject, Injectable } from '@nestjs/common';
import type { CarrierRequirement } from '@numbers/domain';
import { CARRIER_GATEWAY, type CarrierGateway, type CarrierNumberType } from '@numbers/providers';

/** How long a country's requirements are kept: the carrier's catalog changes a few times a year. */
export const CARRIER_REQUIREMENTS_TTL_MS = 60 * 60 * 1000;

/**
 * The carrier's requirements for ordering a number type of a country (Telnyx's `GET
 * /v2/requirements`), cached in the process for an hour: every group created or corrected
 * needs them, and a verdict needs them to name the declined fields. A failed read is not
 * cached (the job retries it).
 */
@Injectable()
export class CarrierRequirementsCatalog {
  private readonly cache = new Map<string, { requirements: Promise<CarrierRequirement[]>; until: number }>();

  constructor(@Inject(CARRIER_GATEWAY) private readonly carrier: CarrierGateway) {}

  orderingRequirements(country: string, numberType: string, now: number = Date.now()): Promise<CarrierRequirement[]> {
    const key = `${country}:${numberType}`;
    const cached = this.cache.get(key);
    if (cached && cached.until > now) return cached.requirements;
    const requirements = this.carrier.listOrderingRequirements(country, numberType as CarrierNumberType);
    this.cache.set(key, { requirements, until: now + CARRIER_REQUIREMENTS_TTL_MS });
    requirements.catch(() => {
      if (this.cache.get(key)?.requirements === requirements) this.cache.delete(key);
    });
    return requirements;
  }
}
