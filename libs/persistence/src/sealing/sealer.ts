import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals a short secret at rest with AES-256-GCM under a key derived from a root key by HKDF
 * with a purpose label: the root key never encrypts anything itself, and two purposes never
 * share a key. The id of the row that holds the value is authenticated data: a sealed value
 * copied onto another row does not open. Format: `v1.<iv>.<tag>.<ciphertext>`, base64url parts.
 */
export class Sealer {
  private readonly key: Buffer;

  /** `what` names the secret in errors ('SIP credential'). */
  constructor(rootKey: Buffer, purpose: string, private readonly what: string) {
    this.key = Buffer.from(hkdfSync('sha256', rootKey, Buffer.alloc(0), purpose, 32));
  }

  seal(plaintext: string, rowId: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(rowId, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
  }

  /** The plaintext; throws when the value was tampered with, sealed for another row, another purpose or under another key. */
  open(sealed: string, rowId: string): string {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== VERSION || iv === undefined || tag === undefined || ciphertext === undefined) throw new Error(`not a sealed ${this.what}`);
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(rowId, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }
}
