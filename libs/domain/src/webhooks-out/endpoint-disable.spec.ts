import { shouldDisableEndpoint } from './endpoint-disable';

const now = new Date('2026-12-10T12:00:00Z');
const ago = (hours: number) => new Date(now.getTime() - hours * 3600_000);

describe('shouldDisableEndpoint', () => {
  it('disables after 3 quiet days and 20 terminal failures in a row', () => {
    expect(shouldDisableEndpoint({ consecutiveFailures: 20, lastSuccessAt: ago(72), failingSince: ago(30), now })).toBe(true);
    expect(shouldDisableEndpoint({ consecutiveFailures: 25, lastSuccessAt: null, failingSince: ago(30), now })).toBe(true);
  });

  it('disables after 3 quiet days of failing without a break, however few the failures', () => {
    expect(shouldDisableEndpoint({ consecutiveFailures: 2, lastSuccessAt: ago(100), failingSince: ago(72), now })).toBe(true);
    expect(shouldDisableEndpoint({ consecutiveFailures: 1, lastSuccessAt: null, failingSince: ago(80), now })).toBe(true);
  });

  it('keeps an endpoint with a success within 3 days on, whatever the count', () => {
    expect(shouldDisableEndpoint({ consecutiveFailures: 500, lastSuccessAt: ago(71.9), failingSince: ago(71.9), now })).toBe(false);
  });

  it('keeps a quiet endpoint on while it has fewer than 20 failures and has failed for less than 3 days', () => {
    expect(shouldDisableEndpoint({ consecutiveFailures: 19, lastSuccessAt: ago(200), failingSince: ago(71.9), now })).toBe(false);
    expect(shouldDisableEndpoint({ consecutiveFailures: 0, lastSuccessAt: null, failingSince: null, now })).toBe(false);
  });
});
