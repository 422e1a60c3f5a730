import { Injectable } from '@nestjs/common';
import { type CountryOffer, CountryRepository } from '@numbers/persistence';
import { presentCountry } from './phone-number.presenter';

@Injectable()
export class ListCountriesQuery {
  constructor(private readonly countries: CountryRepository) {}

  async execute(): Promise<{ countries: CountryOffer[] }> {
    return { countries: (await this.countries.listAvailable()).map(presentCountry) };
  }
}
