import { Module } from '@nestjs/common';
import { ConnectedNumberRepository, CountryRepository, PhoneNumberReadRepository } from '@numbers/persistence';
import { GetPhoneNumberQuery } from './get-phone-number.query';
import { ListCountriesQuery } from './list-countries.query';
import { ListPhoneNumbersQuery } from './list-phone-numbers.query';
import { PhoneNumbersController } from './phone-numbers.controller';
import { ReleasePhoneNumberUseCase } from './release-phone-number.use-case';

@Module({
  controllers: [PhoneNumbersController],
  providers: [
    PhoneNumberReadRepository,
    ConnectedNumberRepository,
    CountryRepository,
    ListPhoneNumbersQuery,
    GetPhoneNumberQuery,
    ListCountriesQuery,
    ReleasePhoneNumberUseCase,
  ],
})
export class NumbersModule {}
