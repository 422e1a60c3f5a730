import { Injectable } from '@nestjs/common';
import { Prisma } from '@prisma/client';
import { PrismaService, type PrismaTx } from '../prisma/prisma.service';

/** A country numbers can be bought in, as the public API lists it. */
export interface CountryOffer {
  code: string;
  tier: number;
  monthlyCents: number;
  needsKyc: boolean;
  outboundCallingAvailable: boolean;
}

/** Reference data, read per request as raw statements (a tenth of a Prisma query's CPU through the pool). */
@Injectable()
export class CountryRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The available countries, cheapest tier first, then by code. */
  listAvailable(tx?: PrismaTx): Promise<CountryOffer[]> {
    return this.prisma.queryRows<CountryOffer>(
      Prisma.sql`
        SELECT code, tier, monthly_cents AS "monthlyCents", needs_kyc AS "needsKyc", outbound_calling_available AS "outboundCallingAvailable"
        FROM countries
        WHERE available
        ORDER BY tier, code`,
      tx,
    );
  }
}
