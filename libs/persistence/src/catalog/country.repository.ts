import { Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '../prisma/prisma.service';

/** A country numbers can be bought in, as the public API lists it. */
export interface CountryOffer {
  code: string;
  tier: number;
  monthlyCents: number;
  needsKyc: boolean;
  outboundCallingAvailable: boolean;
}

@Injectable()
export class CountryRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The available countries, cheapest tier first, then by code. */
  listAvailable(tx?: Tx): Promise<CountryOffer[]> {
    return (tx ?? this.prisma).country.findMany({
      where: { available: true },
      orderBy: [{ tier: 'asc' }, { code: 'asc' }],
      select: { code: true, tier: true, monthlyCents: true, needsKyc: true, outboundCallingAvailable: true },
    });
  }
}
