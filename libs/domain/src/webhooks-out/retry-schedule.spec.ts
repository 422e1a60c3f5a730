import { jitteredDelayMs, retryDelaysMs, type RetryPolicy } from './retry-schedule';

const SECOND = 1000;
const HOUR = 3600 * SECOND;
/** The defaults of docs/configuration.md (WEBHOOK_RETRY_*). */
const DEFAULTS: RetryPolicy = { firstDelayMs: 10 * SECOND, factor: 4, maxDelayMs: 6 * HOUR, windowMs: 24 * HOUR };
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('retryDelaysMs', () => {
  const delays = retryDelaysMs(DEFAULTS);

  it('with the defaults, retries twice within a minute, even with the most jitter', () => {
    expect(delays.slice(0, 2)).toEqual([10 * SECOND, 40 * SECOND]);
    expect(sum(delays.slice(0, 2).map((d) => jitteredDelayMs(d, () => 0.999999)))).toBeLessThanOrEqual(60 * SECOND);
  });

  it('grows by the factor up to the cap, and retries for about the window', () => {
    expect(delays).toEqual([10, 40, 160, 640, 2560, 10240, 21600, 21600, 21600].map((s) => s * SECOND));
    expect(sum(delays)).toBeLessThanOrEqual(DEFAULTS.windowMs);
    // The next capped wait would pass the window: the last attempt is within one cap of its end.
    expect(sum(delays)).toBeGreaterThan(DEFAULTS.windowMs - DEFAULTS.maxDelayMs);
  });

  it('follows another policy: a factor of 1 is a fixed interval, a short window few retries', () => {
    expect(retryDelaysMs({ firstDelayMs: 100, factor: 1, maxDelayMs: 1000, windowMs: 450 })).toEqual([100, 100, 100, 100]);
    expect(retryDelaysMs({ ...DEFAULTS, windowMs: 55 * SECOND })).toEqual([10 * SECOND, 40 * SECOND]);
    expect(retryDelaysMs({ ...DEFAULTS, windowMs: 5 * SECOND })).toEqual([]);
    expect(retryDelaysMs({ firstDelayMs: 5000, factor: 2, maxDelayMs: 1000, windowMs: 3000 })).toEqual([1000, 1000, 1000]);
  });
});

describe('jitteredDelayMs', () => {
  it('moves the delay by up to the spread either way', () => {
    expect(jitteredDelayMs(10_000, () => 0)).toBe(8000);
    expect(jitteredDelayMs(10_000, () => 0.5)).toBe(10_000);
    expect(jitteredDelayMs(10_000, () => 0.999999)).toBe(12_000);
    expect(jitteredDelayMs(10_000, () => 0, 0.5)).toBe(5000);
    expect(jitteredDelayMs(10_000, () => 0.25, 0)).toBe(10_000);
  });

  it('spreads delays drawn with Math.random over the whole band', () => {
    const draws = Array.from({ length: 1000 }, () => jitteredDelayMs(10_000, Math.random));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(8000);
    expect(Math.max(...draws)).toBeLessThanOrEqual(12_000);
    expect(Math.max(...draws) - Math.min(...draws)).toBeGreaterThan(3000);
  });
});
