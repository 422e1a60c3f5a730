import { Injectable } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import { Sealer } from '../sealing/sealer';

/**
 * Seals SIP digest passwords at rest (Meta's, and a customer's for a sip: forward) under
 * SIP_CREDENTIALS_KEY (older keys: SIP_CREDENTIALS_OLD_KEYS), bound to the number's id.
 */
@Injectable()
export class SipCredentialSealer extends Sealer {
  constructor(config: AppConfig) {
    super(config.sipCredentialKeys, 'numbers sip credentials v1', 'SIP credential');
  }
}
