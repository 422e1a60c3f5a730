import { ProviderError } from '../provider-error';
/** A WhatsApp business phone number as Meta holds it. */
export interface WhatsAppPhoneNumber {
  id: string;
  displayPhoneNumber: string;
  verifiedName: string | null;
  /** `NOT_VERIFIED`, `VERIFIED`, `EXPIRED`. */
  codeVerificationStatus: string | null;
  /** `CLOUD_API` while registered, `NOT_APPLICABLE` otherwise. */
  platformType: string | null;
  /** `PENDING` (added, never registered), `CONNECTED`, `DISCONNECTED`, … */
  status: string | null;
}

export interface AddPhoneNumberInput {
  /** The WhatsApp Business Account; META_WABA_ID when absent. */
  wabaId?: string;
  /** Country calling code, e.g. `1`, `44`. */
  countryCode: string;
  /** E.164 (`+14155550123`) or the national number. */
  phoneNumber: string;
  /** The business display name. */
  verifiedName: string;
}

/** A number's calling settings at Meta (`POST /{phone-number-id}/settings`). */
export interface WhatsAppCallingSettings {
  enabled: boolean;
  /** Where Meta sends the number's calls over SIP (our carrier), TLS; needed to turn calling on. */
  sipServer?: { hostname: string; port: number };
}

/** What Meta's `GET /{phone-number-id}/call_permissions?user_wa_id=` answers. */
export interface WhatsAppCallPermissions {
  permission: { status: string; expirationTime: number | null };
  actions: { actionName: string; canPerformAction: boolean; limits: WhatsAppActionLimit[] }[];
}

/** How often Meta lets an action be taken in a period (ISO 8601 duration), and how often it was. */
export interface WhatsAppActionLimit {
  timePeriod: string;
  maxAllowed: number;
  currentUsage: number;
}

/** A number's live state at Meta (`GET /{phone-number-id}?fields=…`), in Graph's words. */
export interface WhatsAppNumberInfo {
  id: string;
  displayPhoneNumber: string | null;
  verifiedName: string | null;
  /** `APPROVED`, `AVAILABLE_WITHOUT_REVIEW`, `PENDING_REVIEW`, `DECLINED`, `EXPIRED`, `NONE`. */
  nameStatus: string | null;
  /** `GREEN`, `YELLOW`, `RED`, `UNKNOWN`. */
  qualityRating: string | null;
  /** `TIER_250`, `TIER_1K`, … `TIER_UNLIMITED`. */
  messagingLimitTier: string | null;
  /** `STANDARD` or `HIGH`. */
  throughputLevel: string | null;
  status: string | null;
  isOfficialBusinessAccount: boolean | null;
  platformType: string | null;
  /** Meta's `health_status` (`can_send_message` and its `entities`), as Meta gives it. */
  healthStatus: Record<string, unknown> | null;
}

/** The WhatsApp Business Account (`GET /{waba-id}?fields=…`). */
export interface WhatsAppBusinessAccountInfo {
  id: string;
  name: string | null;
  /** `verified`, `not_verified`, `pending`, … */
  businessVerificationStatus: string | null;
  /** Meta's integer timezone id, as a string. */
  timezoneId: string | null;
  healthStatus: Record<string, unknown> | null;
}

/**
 * Meta refused to add a number to our WhatsApp Business Account because another account has it
 * registered (Graph's invalid parameter, subcode 2388012: the phone number already exists).
 */
export function isNumberInUseElsewhere(error: unknown): boolean {
  return error instanceof ProviderError && error.provider === 'meta' && error.code === '100.2388012';
}

/**
 * Meta refused an activation code (Graph's `136025`): wrong, expired, replaced by a newer code,
 * or the number is verified already. The same code will never be accepted: sending it again
 * only uses up one of Meta's attempts.
 */
export function isCodeRefused(error: unknown): boolean {
  return error instanceof ProviderError && error.provider === 'meta' && error.code === '136025';
}

/**
 * Meta refused a registration's two-step PIN (Graph's `133005`): the phone number has another
 * PIN set, by whoever registered it last.
 */
export function isTwoStepPinMismatch(error: unknown): boolean {
  return error instanceof ProviderError && error.provider === 'meta' && error.code === '133005';
}

/** WhatsApp Cloud API (Meta Graph). Failures are `ProviderError`s. */
export interface WhatsAppGateway {
  getPhoneNumber(metaPhoneNumberId: string): Promise<WhatsAppPhoneNumber>;
  /** The number's quality, limits, name review, throughput and health at Meta. */
  getNumberInfo(metaPhoneNumberId: string): Promise<WhatsAppNumberInfo>;
  /** The business account numbers are added to (META_WABA_ID when absent). */
  getBusinessAccount(wabaId?: string): Promise<WhatsAppBusinessAccountInfo>;
  /**
   * Adds the number to the business account. Graph takes no idempotency key (`idempotencyKey`
   * is accepted for symmetry and unused): adding the same number again answers the same id.
   */
  addPhoneNumber(input: AddPhoneNumberInput, idempotencyKey?: string): Promise<{ metaPhoneNumberId: string }>;
  /**
   * Asks Meta to send the 6-digit activation code by SMS (it arrives at the carrier as an inbound
   * message). `already_verified`: the number was verified before, no code is sent.
   */
  requestCode(metaPhoneNumberId: string, options?: { language?: string }): Promise<{ status: 'sent' | 'already_verified' }>;
  /** Submits the code (digits, hyphen optional). A wrong or expired code is a permanent ProviderError `136025`. */
  verifyCode(metaPhoneNumberId: string, code: string): Promise<void>;
  /** Registers the verified number for the Cloud API with a 6-digit two-step PIN. */
  register(metaPhoneNumberId: string, pin: string): Promise<void>;
  /** Sets the number's two-step verification PIN (6 digits), whatever it was. Idempotent. */
  setTwoStepPin(metaPhoneNumberId: string, pin: string): Promise<void>;
  /** Takes the number off the Cloud API. Idempotent: deregistering again succeeds. */
  deregister(metaPhoneNumberId: string): Promise<void>;

  // Calling (business-initiated calls over SIP):
  /** Turns calling (with SIP to `sipServer`) on or off for the number. Idempotent. */
  updateCallingSettings(metaPhoneNumberId: string, settings: WhatsAppCallingSettings): Promise<void>;
  /** The SIP digest password Meta issued for the number (`include_sip_credentials`); null while SIP is off. */
  getSipPassword(metaPhoneNumberId: string): Promise<string | null>;
  /**
   * Sends the interactive call-permission prompt to a consumer (`to`: E.164), with an optional
   * body text. Graph takes no idempotency key: callers make sure they send a prompt once (the
   * prompt limits of `getCallPermissions` tell whether one went out).
   */
  sendCallPermissionRequest(metaPhoneNumberId: string, input: { to: string; bodyText?: string | null }): Promise<{ messageId: string }>;
  getCallPermissions(metaPhoneNumberId: string, consumer: string): Promise<WhatsAppCallPermissions>;
}
