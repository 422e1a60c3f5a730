import { AppConfig } from '@numbers/config';
import { testEnv } from '@numbers/test-support';
import { twoStepPin } from './two-step-pin';

describe('twoStepPin', () => {
  const env = testEnv({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/unused', REDIS_PREFIX: '{two-step-pin}' });
  const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');

  it('comes from TWO_STEP_PIN_KEY: rotating the SIP key leaves every PIN as it was', () => {
    const before = AppConfig.fromEnv(env);
    const rotated = AppConfig.fromEnv({ ...env, SIP_CREDENTIALS_KEY: key(21), SIP_CREDENTIALS_OLD_KEYS: env['SIP_CREDENTIALS_KEY'] });
    expect(rotated.sipCredentialKeys.current).not.toEqual(before.sipCredentialKeys.current);
    for (const numberId of ['num_01', 'num_02']) {
      expect(twoStepPin(rotated.twoStepPinKey, numberId)).toMatch(/^\d{6}$/);
      expect(twoStepPin(rotated.twoStepPinKey, numberId)).toBe(twoStepPin(before.twoStepPinKey, numberId));
    }
    expect(twoStepPin(AppConfig.fromEnv({ ...env, TWO_STEP_PIN_KEY: key(22) }).twoStepPinKey, 'num_01')).not.toBe(twoStepPin(before.twoStepPinKey, 'num_01'));
  });

  it('keeps the PINs derived from the SIP key before it existed, once TWO_STEP_PIN_KEY is set to that key', () => {
    // Registered before TWO_STEP_PIN_KEY: the PIN of num_01 under SIP_CREDENTIALS_KEY = 32 bytes of 3 (commit bca9f96).
    const migrated = AppConfig.fromEnv({ ...env, TWO_STEP_PIN_KEY: key(3), SIP_CREDENTIALS_KEY: key(21), SIP_CREDENTIALS_OLD_KEYS: key(3) });
    expect(twoStepPin(migrated.twoStepPinKey, 'num_01')).toBe('641436');
  });
});
