/** A WhatsApp business phone number as Meta holds it. */
export interface WhatsAppPhoneNumber {
  id: string;
  displayPhoneNumber: string;
  verifiedName: string | null;
  codeVerificationStatus: string | null;
  /** `CLOUD_API` while registered, `NOT_APPLICABLE` otherwise. */
  platformType: string | null;
}

/** WhatsApp Cloud API (Meta Graph). Failures are `ProviderError`s. */
export interface WhatsAppGateway {
  getPhoneNumber(metaPhoneNumberId: string): Promise<WhatsAppPhoneNumber>;
  /** Takes the number off the Cloud API. Idempotent: deregistering again succeeds. */
  deregister(metaPhoneNumberId: string): Promise<void>;
}
