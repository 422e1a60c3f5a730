import type { Insertable } from 'kysely';
import type { AppConfig } from '@numbers/config';
import type { NumberStatus } from '@numbers/contracts';
import { newId } from '@numbers/domain';
import { AccountRepository, NumberLifecycle, type DB } from '@numbers/persistence';
import { createStripeClient, StripeSdkGateway } from '@numbers/providers';
import type { ScriptDatabase } from './database';

export interface DemoAccount {
  accountId: string;
  apiKey: string;
  profileId: string;
  /** The number the seed asks to release, so the first minute shows a flow across processes. */
  releasingNumberId: string;
}

interface DemoNumber {
  status: NumberStatus;
  /** Whether the number exists at the carrier and at Meta. */
  ordered: boolean;
  extra?: Partial<Insertable<DB['phoneNumbers']>>;
}

const DAY = 24 * 3600 * 1000;

/** One number in each state of the lifecycle (the releasing one is released through the system). */
const DEMO_NUMBERS: DemoNumber[] = [
  { status: 'pending_payment', ordered: false },
  { status: 'provisioning', ordered: false, extra: { paidFirst: true } },
  { status: 'pending_regulatory', ordered: false, extra: { country: 'DE', monthlyCents: 900, requirementGroupId: 'rg_demo_pending' } },
  {
    status: 'regulatory_declined',
    ordered: false,
    extra: {
      country: 'DE',
      monthlyCents: 900,
      requirementGroupId: 'rg_demo_declined',
      regulatoryDeclineReason: 'Proof of address is older than 3 months',
      regulatoryDeclinedAt: new Date(Date.now() - 3 * DAY),
    },
  },
  { status: 'verifying', ordered: true },
  { status: 'active', ordered: true },
  { status: 'suspended', ordered: true },
  { status: 'active', ordered: true },
  { status: 'released', ordered: false, extra: { releasedAt: new Date(Date.now() - 7 * DAY) } },
];

function demoPhoneNumber(index: number): string {
  return `+1415555${String(1000 + Math.floor(Math.random() * 8000) + index).padStart(4, '0')}`;
}

async function simulatorPost<T>(simulatorUrl: string, path: string, body: unknown): Promise<T> {
  const response = await fetch(`${simulatorUrl}/_sim${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`simulator ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/**
 * A demo account on the growth plan: a profile, a number in every lifecycle state (those past
 * ordering exist at the simulated carrier and Meta too), a connected number, and a Stripe
 * subscription whose quantity is the billable count. The last active number is then released
 * through NumberLifecycle, so the workers carry it to `released` while you watch.
 */
export async function seedDemo({ db, get }: ScriptDatabase, config: AppConfig, simulatorUrl: string): Promise<DemoAccount> {
  const account = await get(AccountRepository).createAccountWithKey({ name: 'Demo', planCode: 'growth', profileName: 'Demo profile' });
  const ids: string[] = [];
  for (const [index, spec] of DEMO_NUMBERS.entries()) {
    const id = newId();
    const phoneNumber = spec.status === 'pending_payment' || spec.status === 'provisioning' ? null : demoPhoneNumber(index);
    let carrier: { telnyxNumberId?: string; telnyxOrderId?: string; metaPhoneNumberId?: string } = {};
    if (spec.ordered && phoneNumber) {
      const telnyx = await simulatorPost<{ data: { id: string } }>(simulatorUrl, '/telnyx/numbers', {
        phoneNumber,
        status: 'active',
        customerReference: id,
      });
      const meta = await simulatorPost<{ id: string }>(simulatorUrl, '/meta/numbers', {
        displayPhoneNumber: phoneNumber,
        verifiedName: 'Demo',
        codeVerificationStatus: spec.status === 'verifying' ? 'NOT_VERIFIED' : 'VERIFIED',
        registered: spec.status !== 'verifying',
      });
      carrier = { telnyxNumberId: telnyx.data.id, telnyxOrderId: `ord_${id}`, metaPhoneNumberId: meta.id };
    }
    await db
      .insertInto('phoneNumbers')
      .values({
        id,
        accountId: account.accountId,
        profileId: account.profileId,
        phoneNumber,
        country: 'US',
        status: spec.status,
        monthlyCents: 300,
        provisionedAt: spec.ordered ? new Date() : null,
        activatedAt: spec.status === 'active' || spec.status === 'suspended' ? new Date() : null,
        ...carrier,
        ...spec.extra,
      })
      .execute();
    ids.push(id);
  }
  await db
    .insertInto('connectedNumbers')
    .values({
      id: newId(),
      accountId: account.accountId,
      profileId: account.profileId,
      socialAccountId: newId(),
      phoneNumber: '+14155550100',
      displayName: 'Demo (bring your own)',
    })
    .execute();

  const stripe = new StripeSdkGateway(createStripeClient(config.stripe), config.stripe.priceId);
  const { customerId } = await stripe.createCustomer({ accountId: account.accountId, name: 'Demo' }, `demo-customer-${account.accountId}`);
  const billable = DEMO_NUMBERS.filter((n) => n.status === 'active' || n.status === 'suspended' || n.extra?.['paidFirst']).length;
  const subscription = await stripe.createSubscription(
    { customerId, accountId: account.accountId, quantity: billable },
    `demo-subscription-${account.accountId}`,
  );
  await db
    .insertInto('billingAccounts')
    .values({
      accountId: account.accountId,
      stripeCustomerId: customerId,
      stripeSubscriptionId: subscription.id,
      stripeSubscriptionItemId: subscription.items[0].id,
      subscriptionStatus: subscription.status,
      quantity: subscription.quantity,
    })
    .execute();

  const releasingNumberId = ids[DEMO_NUMBERS.length - 2];
  await get(NumberLifecycle).apply(releasingNumberId, 'release_requested', {
    cause: 'demo seed',
    actor: 'admin',
  });
  return { accountId: account.accountId, apiKey: account.apiKey, profileId: account.profileId, releasingNumberId };
}
