import { AppConfig } from '@numbers/config';
import { WEBHOOK_DELIVERY_BACKOFF } from '@numbers/contracts';
import { testEnv } from '@numbers/test-support';
import { customBackoff } from './delivery-backoff';

describe('customBackoff', () => {
  const config = AppConfig.fromEnv(testEnv({ DATABASE_URL: 'postgresql://unused/x', REDIS_PREFIX: '{unused}', WEBHOOK_RETRY_FIRST_DELAY_MS: '1000', WEBHOOK_RETRY_FACTOR: '2', WEBHOOK_RETRY_MAX_DELAY_MS: '4000', WEBHOOK_RETRY_WINDOW_MS: '11000' }));

  it('waits the schedule, jittered, between delivery attempts, and stops retrying when it is spent', () => {
    const middle = customBackoff(config, () => 0.5);
    expect([1, 2, 3, 4, 5].map((made) => middle(made, WEBHOOK_DELIVERY_BACKOFF))).toEqual([1000, 2000, 4000, 4000, -1]);
    const early = customBackoff(config, () => 0);
    expect(early(1, WEBHOOK_DELIVERY_BACKOFF)).toBe(800);
  });

  it('never retries a job of another backoff type through it', () => {
    expect(customBackoff(config)(1, 'something-else')).toBe(-1);
  });
});
