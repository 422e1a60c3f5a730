// PROVIDER_MODE=live, end to end: a built process given a live configuration that lacks one
// required setting stops at boot, naming that setting (and only it) on stderr, before it touches
// PostgreSQL, Redis or any provider.
import { ensureBuilt, startProcess, testEnv, testRedisPrefix } from '@numbers/test-support';

const APPS = ['api-gateway', 'provisioning-worker'] as const;

/** Everything a live process needs except TELNYX_MESSAGING_PROFILE_ID: real hosts, Telnyx's id formats, secrets of its own. */
function liveEnvWithoutMessagingProfile(): Record<string, string> {
  const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');
  return testEnv({
    // Never reached: the configuration is refused first.
    DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/live_mode_never_connected',
    REDIS_PREFIX: testRedisPrefix(),
    PROVIDER_MODE: 'live',
    STRIPE_API_BASE_URL: 'https://api.stripe.com',
    STRIPE_API_KEY: 'sk_test_live_mode_e2e',
    STRIPE_WEBHOOK_SECRET: 'whsec_live_mode_e2e',
    TELNYX_API_BASE_URL: 'https://api.telnyx.com/v2',
    TELNYX_API_KEY: 'KEY_live_mode_e2e',
    TELNYX_PUBLIC_KEY: key(3),
    TELNYX_CALL_CONTROL_APP_ID: '1293384261075731499',
    TELNYX_MESSAGING_PROFILE_ID: undefined,
    META_GRAPH_BASE_URL: 'https://graph.facebook.com',
    META_ACCESS_TOKEN: 'meta_live_mode_e2e',
    META_APP_SECRET: 'meta_app_secret_live_mode_e2e',
    META_VERIFY_TOKEN: 'meta_verify_token_live_mode_e2e',
    META_WABA_ID: '109876543210987',
    SIP_CREDENTIALS_KEY: key(4),
    WEBHOOK_SECRETS_KEY: key(5),
    TWO_STEP_PIN_KEY: key(6),
    KYC_SEALING_KEY: key(7),
    ADMIN_TOKEN: 'admin_token_of_the_live_mode_e2e_0123456789',
    CALL_FORWARD_ALLOW_LOOPBACK: 'false',
  });
}

beforeAll(() => ensureBuilt([...APPS]), 10 * 60_000);

/** What each prints once it has booted: never reached here. */
const READY_LINE = { 'api-gateway': 'Nest application successfully started', 'provisioning-worker': 'provisioning-worker ready' };

describe.each(APPS)('%s with PROVIDER_MODE=live', (app) => {
  it('exits with status 1 at boot, naming the missing required setting', async () => {
    const failure = await startProcess({ name: app, script: `dist/apps/${app}/main.js`, env: liveEnvWithoutMessagingProfile(), readyLogLine: READY_LINE[app] }).then(
      async (started) => {
        await started.stop();
        return 'it booted';
      },
      (error: Error) => error.message,
    );
    const stderr = failure
      .split('\n')
      .filter((line) => line.startsWith('err | '))
      .join('\n');

    expect(failure).toContain('exited (code 1) before it was ready');
    expect(stderr).toContain('TELNYX_MESSAGING_PROFILE_ID: required when PROVIDER_MODE=live');
    // The rest of the live configuration passed: the missing setting is the only one named.
    const named = new Set([...stderr.matchAll(/\b([A-Z][A-Z0-9]*_[A-Z0-9_]+): /g)].map((match) => match[1]));
    expect([...named]).toEqual(['TELNYX_MESSAGING_PROFILE_ID']);
  }, 60_000);
});
