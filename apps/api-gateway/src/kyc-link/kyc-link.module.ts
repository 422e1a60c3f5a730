import { Module } from '@nestjs/common';
import { KycLinkRepository } from '@numbers/persistence';
import { KycModule } from '../kyc/kyc.module';
import { PurchaseModule } from '../purchase/purchase.module';
import { CreateKycLinkUseCase } from './create-kyc-link.use-case';
import { KycLinkFormParser } from './kyc-link-form.parser';
import { KycLinkPage } from './kyc-link-page';
import { KycLinkPageController } from './kyc-link-page.controller';
import { KycLinkController } from './kyc-link.controller';

/** Hosted KYC links: made with an API key, filled on our page by the customer's end customer. */
@Module({
  imports: [KycModule, PurchaseModule],
  controllers: [KycLinkController, KycLinkPageController],
  providers: [KycLinkRepository, CreateKycLinkUseCase, KycLinkPage, KycLinkFormParser],
})
export class KycLinkModule {}
