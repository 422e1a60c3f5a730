import type { ProviderName } from '../shared/provider-name';

/** Signs one webhook body the way its provider does; returns the headers to send with it. */
export interface WebhookSigner {
  readonly provider: ProviderName;
  sign(body: string, at: Date): Record<string, string>;
}
