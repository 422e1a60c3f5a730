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
  /** The order, or null when the carrier does not know it. */
  getNumberOrder(orderId: string): Promise<NumberOrderSnapshot | null>;
}
