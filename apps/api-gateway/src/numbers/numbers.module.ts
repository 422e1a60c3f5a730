import { Module } from '@nestjs/common';
import { ConnectedNumberRepository, CountryRepository, NumberProfileRepository, PhoneNumberReadRepository } from '@numbers/persistence';
import { ProvidersModule } from '@numbers/providers';
import { GetPhoneNumberQuery } from './get-phone-number.query';
import { ListCountriesQuery } from './list-countries.query';
import { ListPhoneNumbersQuery } from './list-phone-numbers.query';
import { MoveNumberToProfileUseCase } from './move-number-to-profile.use-case';
import { NumberInfoController } from './number-info.controller';
import { NumberInfoQuery } from './number-info.query';
import { PhoneNumbersController } from './phone-numbers.controller';
import { ReleasePhoneNumberUseCase } from './release-phone-number.use-case';

@Module({
  imports: [ProvidersModule],
  controllers: [PhoneNumbersController, NumberInfoController],
  providers: [
    PhoneNumberReadRepository,
    ConnectedNumberRepository,
    CountryRepository,
    ListPhoneNumbersQuery,
    GetPhoneNumberQuery,
    ListCountriesQuery,
    ReleasePhoneNumberUseCase,
    NumberProfileRepository,
    NumberInfoQuery,
    MoveNumberToProfileUseCase,
  ],
})
export class NumbersModule {}
