/** The largest KYC document we keep (a scan of an ID, a utility bill). */
export const KYC_FILE_MAX_BYTES = 10 * 1024 * 1024;

export const KYC_FILE_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'image/webp'] as const;
export type KycFileType = (typeof KYC_FILE_TYPES)[number];

export type KycFileCheck = { ok: true; contentType: KycFileType } | { ok: false; message: string };

function startsWith(bytes: Uint8Array, signature: number[], offset = 0): boolean {
  return bytes.length >= offset + signature.length && signature.every((byte, i) => bytes[offset + i] === byte);
}

/** The file's type from its first bytes (not from its name or a header, which a client sets freely). */
export function sniffKycFileType(bytes: Uint8Array): KycFileType | null {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'; // %PDF-
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp'; // RIFF....WEBP
  return null;
}

const NAME_OF_TYPE: Record<KycFileType, string> = { 'application/pdf': 'PDF', 'image/jpeg': 'JPG', 'image/png': 'PNG', 'image/webp': 'WEBP' };

/** Declared types that say nothing about the file: its bytes alone decide. */
const UNDECLARED_TYPES = new Set(['', 'application/octet-stream']);

/** `image/jpg` is not registered but widely sent for JPEG. */
const TYPE_ALIASES: Record<string, KycFileType> = { 'image/jpg': 'image/jpeg' };

/**
 * A KYC document is a PDF, JPG, PNG or WEBP of at most 10 MB, not empty, and is what its declared
 * type says (`declaredType`: a Content-Type, parameters allowed, or a data: URL's type). Nothing
 * declared, or `application/octet-stream`, lets the bytes decide.
 */
export function checkKycFile(bytes: Uint8Array, declaredType?: string): KycFileCheck {
  if (bytes.length === 0) return { ok: false, message: 'the file is empty' };
  if (bytes.length > KYC_FILE_MAX_BYTES) return { ok: false, message: 'the file is larger than 10 MB' };
  const contentType = sniffKycFileType(bytes);
  if (!contentType) return { ok: false, message: 'the file must be a PDF, JPG, PNG or WEBP' };
  const declared = (declaredType ?? '').split(';')[0].trim().toLowerCase();
  if (!UNDECLARED_TYPES.has(declared) && (TYPE_ALIASES[declared] ?? declared) !== contentType) {
    return { ok: false, message: `the file is a ${NAME_OF_TYPE[contentType]}, not ${declared} as declared` };
  }
  return { ok: true, contentType };
}

/** A file name as a reviewer sees it: no path, no control characters, at most 255 characters. */
export function cleanKycFilename(name: string): string | null {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return clean === '' || clean.length > 255 ? null : clean;
}
