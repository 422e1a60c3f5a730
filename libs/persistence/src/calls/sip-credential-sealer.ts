import { Injectable } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import { Sealer } from '../sealing/sealer';

/**
 * Seals SIP digest passwords at rest (Meta's, and a customer's for a sip: forward) under
 * SIP_CREDENTIALS_KEY, which also derives the two-step PINs; bound to the number's id.
 */
@Injectable()
export class SipCredentialSealer extends Sealer {
  constructor(config: AppConfig) {
    super(config.sipCredentialsKey, 'numbers sip credentials v1', 'SIP credential');
  }
}
