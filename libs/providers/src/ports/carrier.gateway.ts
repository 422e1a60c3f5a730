/** A number as the carrier holds it. */
export interface CarrierNumber {
  id: string;
  /** E.164, e.g. `+15551234567`. */
  phoneNumber: string;
  /** The carrier's status: `active`, `purchase-pending`, `requirement-info-under-review`, … */
  status: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

export interface ReleaseResult {
  released: true;
  /** True when the carrier no longer had the number (already released). */
  alreadyGone: boolean;
}

export type CarrierNumberType = 'local' | 'toll_free' | 'mobile' | 'national';

export interface AvailableNumberSearch {
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** National destination code (area code), e.g. `212`. */
  areaCode?: string;
  /** Digits the number contains. */
  contains?: string;
  locality?: string;
  numberType?: CarrierNumberType;
  /** Every one of these (`sms`, `voice`, …). */
  features?: string[];
  /** At most this many (the carrier's default when absent). */
  limit?: number;
}

/** A number the carrier can sell now. */
export interface AvailableNumber {
  phoneNumber: string;
  country: string;
  locality: string | null;
  /** State or province, where the country has them. */
  region: string | null;
  features: string[];
  /** Decimal strings as the carrier gives them, e.g. `1.00`. */
  monthlyCost: string | null;
  upfrontCost: string | null;
  currency: string | null;
}

export interface OrderNumberInput {
  /** E.164, from `searchAvailableNumbers`. */
  phoneNumber: string;
  /** Our number id: an order already placed with it is answered instead of buying twice. */
  customerReference: string;
  /** Numbers this one gave back (its WhatsApp registration conflicted): their orders are not this order. */
  givenBack?: readonly string[];
  /** TELNYX_CONNECTION_ID / TELNYX_MESSAGING_PROFILE_ID when absent. */
  connectionId?: string;
  messagingProfileId?: string;
  requirementGroupId?: string;
}

export type NumberOrderStatus = 'pending' | 'success' | 'failure';

export interface NumberOrderSnapshot {
  orderId: string;
  /** `pending` until the carrier fulfils it (then `number_order.complete` arrives), `success` or `failure`. */
  status: NumberOrderStatus;
  customerReference: string | null;
  phoneNumbers: {
    /** The order line's id; the phone number's own id comes from `findNumberByPhoneNumber`. */
    id: string | null;
    phoneNumber: string;
    status: NumberOrderStatus;
    /** Why the line failed, when the carrier says (the simulator does; Telnyx may not). */
    failureReason: string | null;
  }[];
}

// --- WhatsApp calling (the calling worker) ---

/** A business-initiated WhatsApp call, originated by the carrier as a SIP leg to Meta. */
export interface WhatsAppCallDial {
  /** The Call Control application that places it (TELNYX_CALL_CONTROL_APP_ID). */
  connectionId: string;
  /** The business number, E.164: the caller id. */
  from: string;
  /** `sip:+<consumer>@wa.meta.vc;transport=tls`. */
  sipUri: string;
  /** Meta's SIP digest credentials for the business number. */
  sipUsername: string;
  sipPassword: string;
  /** Echoed in every call webhook: finds the call even before its control id is stored. */
  clientState: string;
  /** The carrier ignores a second dial with the same command id. */
  commandId: string;
  timeoutSecs: number;
  /** Record the call from its answer (the recording arrives as `call.recording.saved`). */
  record: boolean;
}

/** Answering a consumer's call (the carrier's incoming leg from Meta). */
export interface CallAnswer {
  callControlId: string;
  /** Echoed by every later webhook of the leg: names our call. */
  clientState: string;
  commandId: string;
  /** Record the call from its answer. */
  record: boolean;
  /** A voice agent to stream the call's audio to (a `ws(s)://` forwardTo), instead of a transfer. */
  streamUrl: string | null;
}

/** Bridging an answered call to its destination: the carrier dials a new leg and joins the two. */
export interface CallTransfer {
  callControlId: string;
  /** `+E164` or a SIP URI. */
  to: string;
  /** The caller id the destination sees: the business number. */
  from: string;
  /** The new leg's `client_state`. */
  targetLegClientState: string;
  commandId: string;
  timeoutSecs: number;
}

/** A Call Control command's outcome: done, or refused because the call had already ended (nothing left to do). */
export type CallCommandOutcome = 'done' | 'call_ended';

/** A recording's playable address, signed by the carrier and valid for a short while. */
export interface RecordingLink {
  url: string;
}

export interface DialedCall {
  callControlId: string;
  callLegId: string | null;
  callSessionId: string | null;
}

// --- Regulatory review (requirement groups: the provisioning worker) ---

/** A requirement group's (or one requirement's) status at the carrier, in Telnyx's words. */
export type RequirementGroupStatus = 'unapproved' | 'pending-approval' | 'approved' | 'declined' | 'expired';

/** One answer of a requirement group: a text, an address or a document reference, as a string. */
export interface RequirementGroupValue {
  requirementId: string;
  value: string;
}

export interface NewRequirementGroup {
  /** ISO 3166-1 alpha-2. */
  country: string;
  numberType: CarrierNumberType;
  /** Our number id: a group already created with it is answered instead of creating another. */
  customerReference: string;
  requirements: RequirementGroupValue[];
}

export interface RequirementGroupSnapshot {
  id: string;
  status: RequirementGroupStatus;
  country: string;
  numberType: string;
  customerReference: string | null;
  /** Each requirement with its value and its own verdict (a declined group flags the ones at fault). */
  requirements: { requirementId: string; value: string | null; status: RequirementGroupStatus | null }[];
}

/** A note on a requirement group: the reviewer's say why it was declined. */
export interface RequirementGroupComment {
  body: string;
  /** Written by the carrier's reviewer (`admin`), not by us. */
  byReviewer: boolean;
  createdAt: string | null;
}

/** One thing the carrier asks for to order a number type of a country (Telnyx's requirement type). */
export interface CarrierRequirementType {
  /** The carrier's id: a requirement group's `requirement_id`. */
  id: string;
  name: string;
  /** What its value is: an uploaded document's id, a created address's id, or a text. */
  kind: 'document' | 'address' | 'textual';
}

/** An address as the carrier keeps it, to be referenced by id in a requirement group. */
export interface NewCarrierAddress {
  /** Looked up first: an address already created with it is answered instead of creating another. */
  customerReference: string;
  countryCode: string;
  businessName: string | null;
  firstName: string | null;
  lastName: string | null;
  streetAddress: string;
  extendedAddress: string | null;
  locality: string;
  administrativeArea: string | null;
  postalCode: string | null;
}

/** A document to upload to the carrier, to be referenced by id in a requirement group. */
export interface NewCarrierDocument {
  /** Looked up first: a document already uploaded with it is answered instead of uploading again. */
  customerReference: string;
  filename: string;
  content: Uint8Array;
}

// --- Caller ID (verified numbers) ---

export type CallerIdVerificationMethod = 'sms' | 'call';

/** A number the carrier has on its verified list; `verifiedAt` null while its code is awaited. */
export interface VerifiedNumber {
  phoneNumber: string;
  verifiedAt: string | null;
}

/** What the carrier made of a submitted code. */
export type CodeCheck = { verified: true; verifiedAt: string | null } | { verified: false; reason: string };

/** The carrier (Telnyx): numbers we can buy and numbers we hold. Failures are `ProviderError`s. */
export interface CarrierGateway {
  /** The number, or null when the carrier does not have it (404). */
  getNumber(telnyxNumberId: string): Promise<CarrierNumber | null>;
  /** The live number on the account with this E.164 number, or null. */
  findNumberByPhoneNumber(phoneNumber: string): Promise<CarrierNumber | null>;
  /** Releases the number; resolves also when it is already gone, so a retried release is safe. */
  releaseNumber(telnyxNumberId: string, idempotencyKey: string): Promise<ReleaseResult>;
  searchAvailableNumbers(search: AvailableNumberSearch): Promise<AvailableNumber[]>;
  /**
   * Orders one number. Safe to retry: the same idempotency key replays the first answer, and an
   * order already placed (pending or successful) with the same customer reference is answered
   * instead of ordering again.
   */
  orderNumber(input: OrderNumberInput, idempotencyKey: string): Promise<NumberOrderSnapshot>;
  /** Every order placed with this customer reference (our number id), newest first. */
  listNumberOrders(customerReference: string): Promise<NumberOrderSnapshot[]>;
  /** The order, or null when the carrier does not know it. */
  getNumberOrder(orderId: string): Promise<NumberOrderSnapshot | null>;
  // Regulatory review (telnyx-requirement-groups.ts):
  /** Creates the requirement group of one number, once: a group already created with its customer reference is answered. */
  createRequirementGroup(input: NewRequirementGroup, idempotencyKey: string): Promise<RequirementGroupSnapshot>;
  /** The group, or null when the carrier does not know it (404). */
  getRequirementGroup(requirementGroupId: string): Promise<RequirementGroupSnapshot | null>;
  /** Replaces the values of the requirements given (corrections after a decline). */
  updateRequirementGroup(requirementGroupId: string, requirements: RequirementGroupValue[], idempotencyKey: string): Promise<RequirementGroupSnapshot>;
  /** Asks for review; a group already under review or approved is answered as it is. */
  submitRequirementGroup(requirementGroupId: string, idempotencyKey: string): Promise<RequirementGroupSnapshot>;
  /** The comments on the group, oldest first. */
  listRequirementGroupComments(requirementGroupId: string): Promise<RequirementGroupComment[]>;
  // What a requirement group references (telnyx-regulatory-records.ts):
  /** What ordering a number type of a country asks for today, in the carrier's order; empty when nothing. */
  listOrderingRequirements(country: string, numberType: CarrierNumberType): Promise<CarrierRequirementType[]>;
  /** Creates the address once (looked up by customer reference first); its carrier id. */
  createAddress(address: NewCarrierAddress, idempotencyKey: string): Promise<string>;
  /** Uploads the document once (looked up by customer reference first); its carrier id. */
  uploadDocument(document: NewCarrierDocument, idempotencyKey: string): Promise<string>;
  // WhatsApp calling:
  /** Originates the call (answers at once; its progress comes as `call.*` webhooks). Safe to retry: same command id. */
  dialWhatsAppCall(input: WhatsAppCallDial, idempotencyKey: string): Promise<DialedCall>;
  // Caller ID (telnyx-verified-numbers.ts):
  /** The number's verified-number record (E.164), or null when the carrier has none. */
  getVerifiedNumber(phoneNumber: string): Promise<VerifiedNumber | null>;
  /** Sends a verification code to the number (SMS or call); each call sends a new one. */
  startNumberVerification(phoneNumber: string, method: CallerIdVerificationMethod): Promise<void>;
  /** Checks the code the number received; a code the carrier refuses is `verified: false`, not an error. */
  submitVerificationCode(phoneNumber: string, code: string): Promise<CodeCheck>;
  /** Answers an incoming leg (same command id: the carrier ignores the second). */
  answerCall(input: CallAnswer): Promise<CallCommandOutcome>;
  /** Bridges an answered leg to `to` through a new leg. */
  transferCall(input: CallTransfer): Promise<CallCommandOutcome>;
  /** Refuses an incoming leg that was not answered. */
  rejectCall(callControlId: string, commandId: string): Promise<CallCommandOutcome>;
  /** Hangs up a leg. */
  hangupCall(callControlId: string, commandId: string): Promise<CallCommandOutcome>;
  /** A fresh short-lived URL of a call recording; null when the carrier has no such recording. */
  getRecordingLink(recordingId: string): Promise<RecordingLink | null>;
  /** Routes the number's calls to `connectionId` (the calling application when calling is on; the default when off). */
  setNumberConnection(telnyxNumberId: string, connectionId: string | null, idempotencyKey: string): Promise<void>;
}
