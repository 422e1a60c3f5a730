import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import { gcmOpenBytes, gcmSealBytes, Sealer } from '../sealing/sealer';

/** A record encrypted under its own data key, and that key sealed by KYC_SEALING_KEY: both are stored. */
export interface KycEnvelope {
  ciphertext: Buffer;
  dataKeySealed: string;
}

/**
 * Envelope encryption of KYC at rest (documents' bytes, a case's values and address). Each record
 * gets a random data key (AES-256-GCM, the row id authenticated); the data key is sealed by the
 * KYC keyring (`Sealer`, so its stored form names the key id) and kept beside the ciphertext.
 * Rotating KYC_SEALING_KEY re-seals the small data keys (`rewrap`), never the documents.
 */
@Injectable()
export class KycVault {
  private readonly dataKeys: Sealer;

  constructor(config: AppConfig) {
    this.dataKeys = new Sealer(config.kyc.sealingKeys, 'numbers kyc data keys v1', 'KYC data key');
  }

  seal(plaintext: Uint8Array, rowId: string): KycEnvelope {
    const dataKey = randomBytes(32);
    return { ciphertext: gcmSealBytes(dataKey, Buffer.from(plaintext), rowId), dataKeySealed: this.dataKeys.seal(dataKey.toString('base64url'), rowId) };
  }

  /** The plaintext; throws when the record was changed, belongs to another row, or its key is not configured. */
  open({ ciphertext, dataKeySealed }: KycEnvelope, rowId: string): Buffer {
    return gcmOpenBytes(Buffer.from(this.dataKeys.open(dataKeySealed, rowId), 'base64url'), ciphertext, rowId);
  }

  /** The data key sealed again under the current key, or null when it is under it already. */
  rewrap(dataKeySealed: string, rowId: string): string | null {
    return this.dataKeys.isStale(dataKeySealed) ? this.dataKeys.seal(this.dataKeys.open(dataKeySealed, rowId), rowId) : null;
  }
}
