import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { SealingKeys } from '@numbers/config';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** What AES-256-GCM gives back: the random IV, the authentication tag and the ciphertext. */
export interface GcmSealed {
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

/** AES-256-GCM under `key`, with `aad` (a row's id) authenticated: the result opens only for that row. */
export function gcmSeal(key: Buffer, plaintext: Buffer, aad: string): GcmSealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), ciphertext };
}

/** The plaintext; throws when anything was changed, or the key or `aad` is another. */
export function gcmOpen(key: Buffer, { iv, tag, ciphertext }: GcmSealed, aad: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

/** `gcmSeal` as one buffer, `iv ‖ tag ‖ ciphertext`, for a bytea column. */
export function gcmSealBytes(key: Buffer, plaintext: Buffer, aad: string): Buffer {
  const { iv, tag, ciphertext } = gcmSeal(key, plaintext, aad);
  return Buffer.concat([iv, tag, ciphertext]);
}

export function gcmOpenBytes(key: Buffer, sealed: Buffer, aad: string): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error('sealed bytes too short');
  return gcmOpen(key, { iv: sealed.subarray(0, IV_BYTES), tag: sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES), ciphertext: sealed.subarray(IV_BYTES + TAG_BYTES) }, aad);
}

/**
 * The id a root key goes by in sealed values: derived from the key (HKDF, its own label), so
 * nobody has to name keys and two keys cannot share an id by mistake; it reveals nothing of the key.
 */
export function keyIdOf(rootKey: Buffer): string {
  return Buffer.from(hkdfSync('sha256', rootKey, Buffer.alloc(0), 'numbers sealing key id', 6)).toString('base64url');
}

/**
 * Seals a short secret at rest with AES-256-GCM under a key derived from a root key by HKDF
 * with a purpose label: the root key never encrypts anything itself, and two purposes never
 * share a key. The id of the row that holds the value is authenticated data: a sealed value
 * copied onto another row does not open.
 *
 * Format `v2.<key id>.<iv>.<tag>.<ciphertext>` (base64url parts): the key id names the root key
 * (`keyIdOf`), so keys rotate: the current key seals, retired ones (`SealingKeys.previous`) still
 * open, and a value under a retired key is sealed again when next used (`openAndRefresh`).
 * `v1.<iv>.<tag>.<ciphertext>`, written before key ids, names no key: it is tried under each.
 */
export class Sealer {
  /** Derived keys by key id, the current first. */
  private readonly keys = new Map<string, Buffer>();
  private readonly currentId: string;

  /** `what` names the secret in errors ('SIP credential'). */
  constructor(
    rootKeys: SealingKeys,
    purpose: string,
    private readonly what: string,
  ) {
    this.currentId = keyIdOf(rootKeys.current);
    for (const root of [rootKeys.current, ...rootKeys.previous]) {
      this.keys.set(keyIdOf(root), Buffer.from(hkdfSync('sha256', root, Buffer.alloc(0), purpose, 32)));
    }
  }

  seal(plaintext: string, rowId: string): string {
    const { iv, tag, ciphertext } = gcmSeal(this.currentKey(), Buffer.from(plaintext, 'utf8'), rowId);
    return ['v2', this.currentId, ...[iv, tag, ciphertext].map((part) => part.toString('base64url'))].join('.');
  }

  /** The plaintext; throws when the value was tampered with, sealed for another row, another purpose or under a key not configured. */
  open(sealed: string, rowId: string): string {
    const parts = sealed.split('.');
    if (parts[0] === 'v2' && parts.length === 5) {
      const [, keyId, iv, tag, ciphertext] = parts as [string, string, string, string, string];
      const key = this.keys.get(keyId);
      if (!key) throw new Error(`${this.what} sealed under key ${keyId}, which is not configured`);
      return gcmOpen(key, decode(iv, tag, ciphertext), rowId).toString('utf8');
    }
    if (parts[0] === 'v1' && parts.length === 4) {
      const [, iv, tag, ciphertext] = parts as [string, string, string, string];
      for (const key of this.keys.values()) {
        try {
          return gcmOpen(key, decode(iv, tag, ciphertext), rowId).toString('utf8');
        } catch {
          // Not this key: v1 names none, the next is tried.
        }
      }
      throw new Error(`${this.what} (v1) opens under none of the configured keys`);
    }
    throw new Error(`not a sealed ${this.what}`);
  }

  /** Whether `sealed` is under a retired key or the older format, so should be sealed again under the current key. */
  isStale(sealed: string): boolean {
    return !sealed.startsWith(`v2.${this.currentId}.`);
  }

  /**
   * Opens a value read for use and, when it is stale, hands `store` the same secret sealed under
   * the current key, to write back (lazy rotation: the store should write only if the row still
   * holds `sealed`, so a newer value is never overwritten).
   */
  async openAndRefresh(sealed: string, rowId: string, store: (resealed: string) => Promise<unknown>): Promise<string> {
    const plaintext = this.open(sealed, rowId);
    if (this.isStale(sealed)) await store(this.seal(plaintext, rowId));
    return plaintext;
  }

  private currentKey(): Buffer {
    return this.keys.get(this.currentId) as Buffer;
  }
}

function decode(iv: string, tag: string, ciphertext: string): GcmSealed {
  return { iv: Buffer.from(iv, 'base64url'), tag: Buffer.from(tag, 'base64url'), ciphertext: Buffer.from(ciphertext, 'base64url') };
}
