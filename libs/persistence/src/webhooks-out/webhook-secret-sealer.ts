import { Injectable } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import { Sealer } from '../sealing/sealer';

/** Seals customer webhook secrets at rest under WEBHOOK_SECRETS_KEY (older keys: WEBHOOK_SECRETS_OLD_KEYS), bound to the webhook's id. */
@Injectable()
export class WebhookSecretSealer extends Sealer {
  constructor(config: AppConfig) {
    super(config.webhooks.secretsKeys, 'numbers webhook secrets v1', 'webhook secret');
  }
}
