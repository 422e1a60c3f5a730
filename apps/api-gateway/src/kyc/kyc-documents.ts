import { Injectable } from '@nestjs/common';
import { checkKycFile, cleanKycFilename, invalidParam, type KycIssue } from '@numbers/domain';
import { KycDocumentRepository, type Tx } from '@numbers/persistence';
import type { KycDocumentInput } from './kyc.params';

export type PreparedDocument =
  | { requirementId: string; kind: 'inline'; filename: string; contentType: string; content: Uint8Array }
  | { requirementId: string; kind: 'uploaded'; documentId: string };

const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+);base64,/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Inline base64 as bytes, with the type a data: URL prefix declares; null when it is not base64
 * (line breaks are accepted).
 */
function decodeBase64(value: string): { content: Uint8Array; declaredType?: string } | null {
  const declaredType = DATA_URL.exec(value)?.[1];
  const bare = value.replace(DATA_URL, '').replace(/\s+/g, '');
  if (bare.length === 0 || bare.length % 4 !== 0 || !BASE64.test(bare)) return null;
  return { content: new Uint8Array(Buffer.from(bare, 'base64')), declaredType };
}

/**
 * KYC documents as the endpoints take them: uploaded alone (`POST .../kyc/upload-document`, raw
 * bytes and `X-Filename`), or in a submission, inline (base64) or by the id of an upload. A file
 * is a PDF, JPG, PNG or WEBP of at most 10 MB, told by its bytes, which must match the type it
 * is sent as (Content-Type, or a data: URL's); an id must be one of the
 * account's uploads. Everything is checked before anything is stored.
 */
@Injectable()
export class KycDocuments {
  constructor(private readonly documents: KycDocumentRepository) {}

  async prepare(accountId: string, inputs: KycDocumentInput[]): Promise<{ prepared: PreparedDocument[]; issues: KycIssue[] }> {
    const prepared: PreparedDocument[] = [];
    const issues: KycIssue[] = [];
    const seen = new Set<string>();
    inputs.forEach((input, i) => {
      const at = `documents.${i}`;
      if (seen.has(input.requirementId)) {
        issues.push({ param: `${at}.requirementId`, message: `${input.requirementId} is given twice` });
        return;
      }
      seen.add(input.requirementId);
      if (input.documentId !== undefined) {
        prepared.push({ requirementId: input.requirementId, kind: 'uploaded', documentId: input.documentId });
        return;
      }
      const filename = cleanKycFilename(input.filename ?? '');
      if (!filename) {
        issues.push({ param: `${at}.filename`, message: 'filename must be a file name of at most 255 characters' });
        return;
      }
      const decoded = decodeBase64(input.base64 ?? '');
      if (!decoded) {
        issues.push({ param: `${at}.base64`, message: 'base64 is not valid base64' });
        return;
      }
      const { content, declaredType } = decoded;
      const file = checkKycFile(content, declaredType);
      if (!file.ok) issues.push({ param: `${at}.base64`, message: file.message });
      else prepared.push({ requirementId: input.requirementId, kind: 'inline', filename, contentType: file.contentType, content });
    });
    const ids = prepared.flatMap((doc) => (doc.kind === 'uploaded' ? [doc.documentId] : []));
    const owned = await this.documents.idsOwnedBy(accountId, ids);
    inputs.forEach((input, i) => {
      if (input.documentId !== undefined && !owned.has(input.documentId)) {
        issues.push({ param: `documents.${i}.documentId`, message: 'no uploaded document of yours has this id' });
      }
    });
    return { prepared, issues };
  }

  /** The documents as a submission keys them (requirementId → document id); inline ones stored now, in `tx`. */
  async store(accountId: string, prepared: PreparedDocument[], tx?: Tx): Promise<Record<string, string>> {
    const byRequirement: Record<string, string> = {};
    for (const doc of prepared) {
      byRequirement[doc.requirementId] =
        doc.kind === 'uploaded'
          ? doc.documentId
          : (await this.documents.save({ accountId, filename: doc.filename, contentType: doc.contentType, content: doc.content }, tx)).id;
    }
    return byRequirement;
  }

  /** `POST .../kyc/upload-document`: the raw file, its Content-Type, its URL-encoded name in `X-Filename`. */
  async upload(accountId: string, encodedFilename: string | string[] | undefined, contentType: string | undefined, body: unknown): Promise<{ documentId: string }> {
    const raw = Array.isArray(encodedFilename) ? encodedFilename[0] : encodedFilename;
    if (raw === undefined || raw === '') throw invalidParam('X-Filename', 'X-Filename is required: the URL-encoded name of the file');
    let decoded: string;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      throw invalidParam('X-Filename', 'X-Filename must be URL-encoded');
    }
    const filename = cleanKycFilename(decoded);
    if (!filename) throw invalidParam('X-Filename', 'X-Filename must be a file name of at most 255 characters');
    if (!(body instanceof Uint8Array)) {
      throw invalidParam('body', 'send the file itself as the body, with its Content-Type (application/pdf, image/jpeg, image/png, image/webp or application/octet-stream)');
    }
    const file = checkKycFile(body, contentType);
    if (!file.ok) throw invalidParam('body', `Invalid body: ${file.message}`);
    const stored = await this.documents.save({ accountId, filename, contentType: file.contentType, content: body });
    return { documentId: stored.id };
  }
}
