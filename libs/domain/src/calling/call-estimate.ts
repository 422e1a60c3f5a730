/**
 * What a business-initiated WhatsApp call of some minutes should cost (`GET
 * /v1/whatsapp/calls/estimate`), from the per-minute rates of its destination country. Money is
 * counted in whole micro-dollars (millionths of a USD), so sums never drift like binary fractions.
 */

/** Per-minute rates of one destination, in micro-USD (5000 = $0.005). */
export interface CallRates {
  /** Meta's business-initiated calling rate: Meta bills it to the customer's WABA, not us. */
  metaMicrosPerMinute: number;
  /** The carrier's leg (SIP to Meta), which we bill. */
  carrierMicrosPerMinute: number;
  /** Recording the call at the carrier, which we bill when recording is on. */
  recordingMicrosPerMinute: number;
}

export interface CallEstimateInput {
  minutes: number;
  recording: boolean;
}

/** The SDK's `GetWhatsAppCallEstimateResponse` without the destination. */
export interface CallEstimate {
  /** Every rate that applies to this call, per minute. */
  perMinuteUsd: number;
  breakdown: {
    /** The minutes billed: Meta counts six-second pulses, a started pulse in full. */
    metaMinutes: number;
    metaCostUSD: number;
    telnyxCostUSD: number;
    recordingCostUSD: number;
    /** What we bill: the carrier leg and the recording (Meta bills its part itself). */
    billableCostUSD: number;
    /** Everything the call costs the customer, Meta's part included. */
    totalCostUSD: number;
  };
}

/** The longest call the estimate takes: the longest `maxCallDurationSeconds` (4 hours). */
export const MAX_ESTIMATE_MINUTES = 240;
export const DEFAULT_ESTIMATE_MINUTES = 1;

const PULSE_MS = 6_000;
const PULSES_PER_MINUTE = 10;
const MICROS_PER_USD = 1_000_000;

/** Six-second pulses in `minutes`, a started one counted whole (Meta's Calling API pricing: a 56-second call is 10 pulses). */
export function billedPulses(minutes: number): number {
  // Whole milliseconds first: 0.1 minute is 6000 ms, not 6000.000000000001.
  return Math.ceil(Math.round(minutes * 60_000) / PULSE_MS);
}

/**
 * The estimate. Every leg is counted over the same billed duration (Meta's pulses): the carrier's
 * per-minute rates are prorated over it.
 */
export function estimateCall(rates: CallRates, input: CallEstimateInput): CallEstimate {
  if (!(input.minutes > 0) || input.minutes > MAX_ESTIMATE_MINUTES) throw new RangeError(`minutes must be over 0 and at most ${MAX_ESTIMATE_MINUTES}`);
  const pulses = billedPulses(input.minutes);
  const over = (microsPerMinute: number) => Math.round((pulses * microsPerMinute) / PULSES_PER_MINUTE);
  const meta = over(rates.metaMicrosPerMinute);
  const carrier = over(rates.carrierMicrosPerMinute);
  const recording = input.recording ? over(rates.recordingMicrosPerMinute) : 0;
  const perMinute = rates.metaMicrosPerMinute + rates.carrierMicrosPerMinute + (input.recording ? rates.recordingMicrosPerMinute : 0);
  return {
    perMinuteUsd: usd(perMinute),
    breakdown: {
      metaMinutes: pulses / PULSES_PER_MINUTE,
      metaCostUSD: usd(meta),
      telnyxCostUSD: usd(carrier),
      recordingCostUSD: usd(recording),
      billableCostUSD: usd(carrier + recording),
      totalCostUSD: usd(meta + carrier + recording),
    },
  };
}

const usd = (micros: number) => micros / MICROS_PER_USD;
