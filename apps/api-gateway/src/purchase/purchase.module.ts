import { Module } from '@nestjs/common';
import { PhoneNumberReadRepository, PurchaseRepository } from '@numbers/persistence';
import { ProvidersModule } from '@numbers/providers';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { CarrierInventory } from './carrier-inventory';
import { CheckNumberAvailabilityQuery } from './check-number-availability.query';
import { CheckoutReturnController } from './checkout-return.controller';
import { FirstNumberCheckout } from './first-number-checkout';
import { NumberPurchase } from './number-purchase';
import { PurchaseController } from './purchase.controller';
import { PurchasePhoneNumberUseCase } from './purchase-phone-number.use-case';
import { SearchAvailableNumbersQuery } from './search-available-numbers.query';

/** Buying numbers (SPEC "Purchase") and searching the carrier's inventory. */
@Module({
  imports: [ProvidersModule, IdempotencyModule],
  controllers: [PurchaseController, CheckoutReturnController],
  providers: [
    PurchaseRepository,
    PhoneNumberReadRepository,
    CarrierInventory,
    FirstNumberCheckout,
    NumberPurchase,
    PurchasePhoneNumberUseCase,
    SearchAvailableNumbersQuery,
    CheckNumberAvailabilityQuery,
  ],
  // The KYC submission buys through the same rules and payment paths.
  exports: [NumberPurchase, CarrierInventory, PurchaseRepository, PhoneNumberReadRepository],
})
export class PurchaseModule {}
