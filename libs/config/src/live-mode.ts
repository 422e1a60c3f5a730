import { z } from 'zod';

/**
 * What the simulator fills in when a setting is absent. In `live` mode these are required instead:
 * a real WhatsApp Business Account and a real Call Control application never have these ids.
 */
export const SIMULATOR_DEFAULTS = {
  META_WABA_ID: '102290129340398',
  TELNYX_CALL_CONTROL_APP_ID: 'numbers-whatsapp-calling',
} as const;

/**
 * The secrets committed to this repository for development (env/local.env) and tests (the
 * simulator's test harness): public, so never accepted in `live` mode. load-config.spec.ts checks
 * that every secret of env/local.env is listed here.
 */
export const DEVELOPMENT_SECRETS = {
  STRIPE_API_KEY: ['sk_test_numbers_local', 'sk_test_simulator'],
  STRIPE_WEBHOOK_SECRET: ['whsec_numbers_local', 'whsec_test_simulator'],
  TELNYX_API_KEY: ['KEY_numbers_local', 'KEY_test_simulator'],
  // The public half of the simulator's committed signing key: anyone could sign "Telnyx" webhooks.
  TELNYX_PUBLIC_KEY: ['/TYuesbkJhcUmHLk3+3SUOlvNAVleT4u2G7UPZjMMuw='],
  META_ACCESS_TOKEN: ['meta_numbers_local', 'meta_token_test'],
  META_APP_SECRET: ['meta_app_secret_local', 'meta_app_secret_test'],
  META_VERIFY_TOKEN: ['meta_verify_token_local'],
  SIP_CREDENTIALS_KEY: ['/75UTrKGU/s6EFiSay7odMw8gnbzYhTaA3kv93hbHHA=', 'AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE='],
  WEBHOOK_SECRETS_KEY: ['0zMM4lR+a45f+QrCAu9D+NEEo1VzQ4WoK3sh37zNOUU=', 'AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI='],
  TWO_STEP_PIN_KEY: ['WQObTiNmPsui0wyYe9JtMeT+/rWooLPawXxZJOFZoAA=', 'AwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM='],
  KYC_SEALING_KEY: ['f/CcerQ0ac2F4KzIHY+kdjlPJJAKJBHenaNSCawn1tw=', 'BAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ='],
  ADMIN_TOKEN: ['admin_token_numbers_local_0123456789'],
} as const satisfies Record<string, readonly string[]>;

/** Settings that must be present in `live` mode, and why (the reason is part of the boot error). */
const REQUIRED_LIVE = {
  META_WABA_ID: 'the WhatsApp Business Account numbers are added to',
  TELNYX_CALL_CONTROL_APP_ID: 'the Call Control application that places and receives WhatsApp calls',
  TELNYX_MESSAGING_PROFILE_ID: "the messaging profile that receives WhatsApp's activation SMS",
  META_VERIFY_TOKEN: "what Meta's webhook subscription handshake must echo",
} as const;

const HTTPS_LIVE = ['STRIPE_API_BASE_URL', 'TELNYX_API_BASE_URL', 'META_GRAPH_BASE_URL'] as const;

/** Telnyx's own ids: connections (Call Control applications among them) are numeric, messaging profiles are UUIDs. */
const LIVE_FORMATS: Record<string, { pattern: RegExp; message: string }> = {
  TELNYX_CALL_CONTROL_APP_ID: { pattern: /^\d+$/, message: "must be the Call Control (Voice API) application's numeric id" },
  TELNYX_CONNECTION_ID: { pattern: /^\d+$/, message: "must be the connection's numeric id" },
  TELNYX_MESSAGING_PROFILE_ID: {
    pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    message: "must be the messaging profile's id (a UUID)",
  },
};

/**
 * The rules of `PROVIDER_MODE=live` (docs/providers.md), over the raw environment so they are
 * reported together with any other bad setting: what the simulator fills in is required and in
 * Telnyx's formats, provider URLs are https, no committed development secret, and calls are never
 * forwarded to loopback. Each problem is an issue on the setting it names.
 */
export function checkLiveSettings(input: unknown, ctx: z.RefinementCtx): void {
  if (typeof input !== 'object' || input === null) return;
  const env = input as Record<string, unknown>;
  if (env['PROVIDER_MODE'] !== 'live') return;
  const setting = (name: string) => (typeof env[name] === 'string' ? (env[name] as string) : undefined);
  const problem = (name: string, message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path: [name], message });

  for (const [name, role] of Object.entries(REQUIRED_LIVE)) {
    if (setting(name) === undefined) problem(name, `required when PROVIDER_MODE=live (${role})`);
  }
  for (const [name, { pattern, message }] of Object.entries(LIVE_FORMATS)) {
    const value = setting(name);
    if (value !== undefined && !pattern.test(value)) problem(name, `${message} when PROVIDER_MODE=live`);
  }
  for (const name of HTTPS_LIVE) {
    const value = setting(name);
    if (value !== undefined && !value.startsWith('https://')) problem(name, 'must be an https URL when PROVIDER_MODE=live');
  }
  for (const [name, committed] of Object.entries(DEVELOPMENT_SECRETS)) {
    const value = setting(name);
    if (value !== undefined && (committed as readonly string[]).includes(value)) {
      problem(name, 'is a development secret committed to this repository: refused when PROVIDER_MODE=live');
    }
  }
  if (setting('CALL_FORWARD_ALLOW_LOOPBACK') === 'true') problem('CALL_FORWARD_ALLOW_LOOPBACK', 'must be false when PROVIDER_MODE=live');
}
