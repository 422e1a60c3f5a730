import { ProviderReplyError, type ProviderReply } from '../shared/provider-reply';

/** Telnyx's error body: `{errors:[{code, title, detail}]}`. */
export function telnyxError(status: number, code: string, title: string, detail: string): ProviderReply {
  return { status, body: { errors: [{ code, title, detail }] } };
}

export function telnyxNotFound(): ProviderReplyError {
  return new ProviderReplyError(
    telnyxError(404, '10005', 'Resource not found', 'The requested resource or URL could not be found.'),
  );
}
