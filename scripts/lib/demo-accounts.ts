import { writeFileSync } from 'node:fs';
import type { AppConfig } from '@numbers/config';
import { AccountRepository, type CreatedAccount } from '@numbers/persistence';
import { withDatabase } from './database';
import { seedDemo, type DemoAccount } from './demo-seed';

/** What `npm start` and docker compose's `seed` service create. */
export interface DemoAccounts {
  /** The demo account with a number in every state; none against real providers. */
  demo: DemoAccount | null;
  /** An account with nothing yet, so a purchase by hand goes through Checkout. */
  buyer: CreatedAccount;
}

/**
 * The demo account (numbers created at the simulator found at `simulatorUrl`; null when the
 * providers are real) and an empty buyer account, both on the growth plan.
 */
export async function seedDemoAccounts(config: AppConfig, simulatorUrl: string | null): Promise<DemoAccounts> {
  return withDatabase(async (persistence) => ({
    demo: simulatorUrl === null ? null : await seedDemo(persistence, config, simulatorUrl),
    buyer: await persistence.get(AccountRepository).createAccountWithKey({ name: 'Buyer', planCode: 'growth' }),
  }));
}

/** `.numbers/demo.env`: the accounts as settings a shell or the SDK reads. */
export function writeDemoEnv(path: string, apiUrl: string, { demo, buyer }: DemoAccounts): void {
  writeFileSync(
    path,
    `NUMBERS_API_URL=${apiUrl}\n` +
      (demo ? `NUMBERS_API_KEY=${demo.apiKey}\nNUMBERS_PROFILE_ID=${demo.profileId}\n` : '') +
      `NUMBERS_BUYER_API_KEY=${buyer.apiKey}\nNUMBERS_BUYER_PROFILE_ID=${buyer.profileId}\n`,
    { mode: 0o600 },
  );
}

/** The accounts, their keys, and how to try them, as printed at the end of `npm start` and of the seed service. */
export function describeDemoAccounts(apiUrl: string, simulatorUrl: string | undefined, { demo, buyer }: DemoAccounts): string {
  const buyByHand = `  curl -X POST ${apiUrl}/v1/whatsapp/phone-numbers/purchase \\
    -H "Authorization: Bearer ${buyer.apiKey}" -H "content-type: application/json" \\
    -d '{"profileId":"${buyer.profileId}"}'`;
  if (!demo) {
    return `  API        ${apiUrl}/v1
  Docs       ${apiUrl}/docs
  API key    ${buyer.apiKey}   (a new account on the growth plan, no numbers yet)
  Profile    ${buyer.profileId}

Buy a real number (Stripe Checkout in the mode of STRIPE_API_KEY, then Telnyx and Meta):
${buyByHand}
`;
  }
  return `  API        ${apiUrl}/v1
  Docs       ${apiUrl}/docs
  Simulator  ${simulatorUrl}/_sim/state
  API key    ${demo.apiKey}
  Profile    ${demo.profileId}

Try it:
  curl -H "Authorization: Bearer ${demo.apiKey}" ${apiUrl}/v1/whatsapp/phone-numbers

Buy a number by hand (a fresh account on the growth plan, no numbers yet):
${buyByHand}
  It answers {"checkoutUrl": ...}: open that link, press Pay, and the number is active
  seconds later:
  curl -H "Authorization: Bearer ${buyer.apiKey}" ${apiUrl}/v1/whatsapp/phone-numbers
`;
}
