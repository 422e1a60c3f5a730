import { Injectable } from '@nestjs/common';
import { SipCredentialSealer } from '../calls/sip-credential-sealer';
import { KycDocumentRepository } from '../kyc/kyc-document.repository';
import { RegulatoryCaseRepository } from '../kyc/regulatory-case.repository';
import { WebhookSecretSealer } from '../webhooks-out/webhook-secret-sealer';
import { SEALED_SECRET_KINDS, SealedSecretRepository, type SealedSecretKind } from './sealed-secret.repository';
import type { Sealer } from './sealer';

/** How many stored values one `SecretResealing.run` sealed again, by kind. */
export type ResealCounts = Record<SealedSecretKind | 'kyc-case' | 'kyc-document', number>;

/**
 * Finishes a key rotation at once (`npm run cli -- secrets:reseal`): every stored secret not
 * sealed under the current key of its kind (a retired key, or the format before key ids) is
 * sealed again, and KYC stored before encryption is encrypted. Values are otherwise re-sealed
 * when next used; after this run a retired key may be dropped from `*_OLD_KEYS`. Safe to run
 * twice, or while the apps run: each write replaces only the value it read.
 */
@Injectable()
export class SecretResealing {
  private readonly sealers: Record<SealedSecretKind, Sealer>;

  constructor(
    private readonly secrets: SealedSecretRepository,
    private readonly cases: RegulatoryCaseRepository,
    private readonly documents: KycDocumentRepository,
    sip: SipCredentialSealer,
    webhooks: WebhookSecretSealer,
  ) {
    this.sealers = { 'sip-password': sip, 'forward-sip-password': sip, 'webhook-secret': webhooks };
  }

  async run(batch = 200): Promise<ResealCounts> {
    const counts = { 'kyc-case': await this.cases.refreshSealingAll(batch), 'kyc-document': await this.documents.refreshSealing(batch) } as ResealCounts;
    for (const kind of SEALED_SECRET_KINDS) counts[kind] = await this.reseal(kind, batch);
    return counts;
  }

  private async reseal(kind: SealedSecretKind, batch: number): Promise<number> {
    const sealer = this.sealers[kind];
    let written = 0;
    for (let after = ''; ; ) {
      const rows = await this.secrets.page(kind, after, batch);
      for (const { id, sealed } of rows) {
        if (sealer.isStale(sealed) && (await this.secrets.replace(kind, id, sealed, sealer.seal(sealer.open(sealed, id), id)))) written += 1;
      }
      if (rows.length < batch) break;
      after = rows[rows.length - 1]?.id ?? after;
    }
    return written;
  }
}
