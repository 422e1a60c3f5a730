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

/** The carrier (Telnyx): numbers we hold. Failures are `ProviderError`s. */
export interface CarrierGateway {
  /** The number, or null when the carrier does not have it (404). */
  getNumber(telnyxNumberId: string): Promise<CarrierNumber | null>;
  /** Releases the number; resolves also when it is already gone, so a retried release is safe. */
  releaseNumber(telnyxNumberId: string, idempotencyKey: string): Promise<ReleaseResult>;
}
