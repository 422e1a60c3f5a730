import { billedPulses, estimateCall, MAX_ESTIMATE_MINUTES, type CallRates } from './call-estimate';

const RATES: CallRates = { metaMicrosPerMinute: 12_000, carrierMicrosPerMinute: 5_000, recordingMicrosPerMinute: 2_500 };

describe('call estimate', () => {
  it('counts six-second pulses, a started one in full', () => {
    expect(billedPulses(1)).toBe(10);
    expect(billedPulses(56 / 60)).toBe(10);
    expect(billedPulses(0.1)).toBe(1);
    expect(billedPulses(61 / 60)).toBe(11);
    expect(billedPulses(2.5)).toBe(25);
  });

  it('adds Meta, the carrier leg and the recording; bills only the carrier leg and the recording', () => {
    expect(estimateCall(RATES, { minutes: 3, recording: true })).toEqual({
      perMinuteUsd: 0.0195,
      breakdown: { metaMinutes: 3, metaCostUSD: 0.036, telnyxCostUSD: 0.015, recordingCostUSD: 0.0075, billableCostUSD: 0.0225, totalCostUSD: 0.0585 },
    });
  });

  it('leaves the recording out when recording is off', () => {
    const estimate = estimateCall(RATES, { minutes: 3, recording: false });
    expect(estimate.perMinuteUsd).toBe(0.017);
    expect(estimate.breakdown).toMatchObject({ recordingCostUSD: 0, billableCostUSD: 0.015, totalCostUSD: 0.051 });
  });

  it('prices a part minute by its pulses, to the micro-dollar', () => {
    // 61 s: 11 pulses = 1.1 minutes.
    const estimate = estimateCall({ metaMicrosPerMinute: 333, carrierMicrosPerMinute: 7, recordingMicrosPerMinute: 0 }, { minutes: 61 / 60, recording: false });
    expect(estimate.breakdown).toEqual({ metaMinutes: 1.1, metaCostUSD: 0.000366, telnyxCostUSD: 0.000008, recordingCostUSD: 0, billableCostUSD: 0.000008, totalCostUSD: 0.000374 });
  });

  it('refuses no minutes, negative minutes and more than the longest call', () => {
    for (const minutes of [0, -1, Number.NaN, MAX_ESTIMATE_MINUTES + 1]) {
      expect(() => estimateCall(RATES, { minutes, recording: false })).toThrow(RangeError);
    }
    expect(estimateCall(RATES, { minutes: MAX_ESTIMATE_MINUTES, recording: false }).breakdown.metaMinutes).toBe(240);
  });
});
