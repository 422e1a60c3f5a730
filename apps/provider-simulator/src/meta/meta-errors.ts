import { randomId } from '../shared/random-id';
import { ProviderReplyError, type ProviderReply } from '../shared/provider-reply';

/** The Graph API's error body: `{error:{message, type, code, error_subcode?, fbtrace_id}}`. */
export function graphError(
  status: number,
  type: string,
  code: number,
  message: string,
  extra: { error_subcode?: number; is_transient?: boolean; error_user_msg?: string; error_data?: Record<string, unknown> } = {},
): ProviderReply {
  return { status, body: { error: { message, type, code, ...extra, fbtrace_id: randomId('A', 23) } } };
}

/** What Graph answers for an id that does not exist (or this token may not see). */
export function graphObjectMissing(method: string, id: string): ProviderReplyError {
  return new ProviderReplyError(
    graphError(
      400,
      'GraphMethodException',
      100,
      `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
      { error_subcode: 33 },
    ),
  );
}

/** A WhatsApp Business Management error with Meta's `error_data.details`, e.g. 136024/136025. */
export function whatsappError(code: number, message: string, details: string, status = 400): ProviderReplyError {
  return new ProviderReplyError(
    graphError(status, 'OAuthException', code, message, { error_data: { messaging_product: 'whatsapp', details } }),
  );
}

/**
 * Adding to a WhatsApp Business Account a number registered in another one: Graph's invalid
 * parameter with the subcode of a phone number that already exists (2388012), and the user title
 * and message Meta's tools show.
 */
export function phoneNumberInUse(phoneNumber: string): ProviderReplyError {
  return new ProviderReplyError(
    graphError(400, 'OAuthException', 100, 'Invalid parameter', {
      error_subcode: 2388012,
      error_user_msg: `The phone number ${phoneNumber} is already registered with another WhatsApp Business Account. Delete it there, or use another number.`,
      error_data: { messaging_product: 'whatsapp', details: 'Phone number already in use' },
    }),
  );
}

/** Graph's invalid-parameter error (`(#100) …`). */
export function invalidParameter(message: string): ProviderReplyError {
  return new ProviderReplyError(graphError(400, 'OAuthException', 100, `(#100) ${message}`));
}
