import { Module } from '@nestjs/common';
import { KycDocumentRepository, RegulatoryCaseRepository } from '@numbers/persistence';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { PurchaseModule } from '../purchase/purchase.module';
import { KycCountries } from './kyc-country';
import { KycDocumentBodyParser } from './kyc-document-body.parser';
import { KycDocuments } from './kyc-documents';
import { KycFormQuery } from './kyc-form.query';
import { KycController } from './kyc.controller';
import { RemediateNumberUseCase } from './remediate-number.use-case';
import { RemediationQuery } from './remediation.query';
import { SubmitKycUseCase } from './submit-kyc.use-case';

/** Regulated countries (SPEC "Purchase", "The number lifecycle"): the KYC form, its submission (a purchase), remediation. */
@Module({
  imports: [PurchaseModule, IdempotencyModule],
  controllers: [KycController],
  providers: [
    RegulatoryCaseRepository,
    KycDocumentRepository,
    KycCountries,
    KycDocuments,
    KycDocumentBodyParser,
    KycFormQuery,
    SubmitKycUseCase,
    RemediationQuery,
    RemediateNumberUseCase,
  ],
  exports: [KycCountries, SubmitKycUseCase],
})
export class KycModule {}
