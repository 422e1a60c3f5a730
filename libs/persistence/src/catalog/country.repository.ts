import { Injectable } from '@nestjs/common';
import { Database, type Tx } from '../database/database';

/** A country numbers can be bought in, as the public API lists it. */
export interface CountryOffer {
  code: string;
  tier: number;
  monthlyCents: number;
  needsKyc: boolean;
  outboundCallingAvailable: boolean;
}

/** Reference data, read per request. */
@Injectable()
export class CountryRepository {
  constructor(private readonly db: Database) {}

  /** The available countries, cheapest tier first, then by code. */
  listAvailable(tx?: Tx): Promise<CountryOffer[]> {
    return (tx ?? this.db)
      .selectFrom('countries')
      .select(['code', 'tier', 'monthlyCents', 'needsKyc', 'outboundCallingAvailable'])
      .where('available', '=', true)
      .orderBy('tier')
      .orderBy('code')
      .execute();
  }
}
