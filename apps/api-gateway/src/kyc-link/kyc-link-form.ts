import type { KycIssue, KycRequirement } from '@numbers/domain';
import type { KycDocumentInput } from '../kyc/kyc.params';
import { ADDRESS_FIELDS } from './kyc-link-page.template';

/** What the hosted form sent, as a KYC submission takes it, and what to show again after a refusal. */
export interface KycLinkAnswers {
  values: Record<string, string>;
  documents: KycDocumentInput[];
  address: Record<string, string> | undefined;
  endUserFirstName?: string;
  endUserLastName?: string;
  /** The typed values by control name (never the files). */
  kept: Record<string, string>;
}

function textOf(form: FormData, name: string): string | undefined {
  const value = form.get(name);
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * Reads the controls of the country's form (the page's `multipart/form-data`): only the controls
 * its fields have; an empty control is an answer not given, which the KYC rules then name. A file
 * goes on as inline base64, its declared type as a data: URL so the bytes must agree with it.
 */
export async function readKycLinkForm(form: FormData, fields: KycRequirement[], country: string): Promise<KycLinkAnswers> {
  const answers: KycLinkAnswers = { values: {}, documents: [], address: undefined, kept: {} };
  const keep = (name: string) => {
    const value = textOf(form, name);
    if (value !== undefined) answers.kept[name] = value;
    return value;
  };
  for (const field of fields) {
    switch (field.kind) {
      case 'text':
      case 'date': {
        const value = keep(`values.${field.requirementId}`);
        if (value !== undefined) answers.values[field.requirementId] = value;
        break;
      }
      case 'file': {
        const file = form.get(`documents.${field.requirementId}`);
        if (typeof file === 'string' || file === null || file.size === 0) break;
        const base64 = Buffer.from(await file.arrayBuffer()).toString('base64');
        const declared = file.type && file.type !== 'application/octet-stream' ? `data:${file.type};base64,` : '';
        answers.documents.push({ requirementId: field.requirementId, filename: file.name || field.requirementId, base64: `${declared}${base64}` });
        break;
      }
      case 'address': {
        const address: Record<string, string> = {};
        for (const name of ADDRESS_FIELDS) {
          const value = keep(`address.${name}`);
          if (value !== undefined) address[name] = value;
        }
        answers.address = Object.keys(address).length > 0 ? { ...address, country_code: country, requirementId: field.requirementId } : undefined;
        break;
      }
      case 'action':
        answers.endUserFirstName = keep('endUserFirstName');
        answers.endUserLastName = keep('endUserLastName');
        break;
    }
  }
  return answers;
}

const CONTROL = /^(values\.[A-Za-z0-9_.:-]+|documents\.[A-Za-z0-9_.:-]+|address\.[a-z_]+|address|endUserFirstName|endUserLastName)$/;

/**
 * The KYC rules' issues by the page's control names, first issue of each control: an inline
 * document's issue (`documents.<index>.base64`) belongs to its file control; what names no
 * control is about the form as a whole (`form`).
 */
export function errorsByControl(issues: KycIssue[], answers: KycLinkAnswers): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const { param, message } of issues) {
    const inline = /^documents\.(\d+)\./.exec(param);
    let control = inline ? `documents.${answers.documents[Number(inline[1])]?.requirementId}` : param;
    if (control === 'address.country_code' || control === 'address.requirementId') control = 'address';
    if (!CONTROL.test(control) || (control.startsWith('address.') && !(ADDRESS_FIELDS as readonly string[]).includes(control.slice('address.'.length)))) control = 'form';
    errors[control] ??= message;
  }
  return errors;
}
