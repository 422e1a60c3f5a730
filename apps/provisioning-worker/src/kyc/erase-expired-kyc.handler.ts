import { Logger } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import { JobHandler, type HandlesJob } from '@numbers/messaging';
import { KycRetentionRepository, type ErasedKyc } from '@numbers/persistence';

const ERASE_BATCH = 500;

/**
 * Scheduled: KYC is kept KYC_RETENTION_DAYS after its number was released or declined, then
 * erased (KycRetentionRepository: the case's values, address and documents, the number's names).
 */
@JobHandler('erase-expired-kyc')
export class EraseExpiredKycHandler implements HandlesJob<'erase-expired-kyc'> {
  private readonly logger = new Logger(EraseExpiredKycHandler.name);

  constructor(
    private readonly retention: KycRetentionRepository,
    private readonly config: AppConfig,
  ) {}

  async handle(): Promise<ErasedKyc> {
    const erased = await this.retention.eraseExpired(new Date(Date.now() - this.config.kyc.retentionMs), ERASE_BATCH);
    if (erased.cases + erased.documents > 0) this.logger.log(erased, 'erased expired KYC');
    return erased;
  }
}
