import type { Insertable } from 'kysely';
import type { AppConfig } from '@numbers/config';
import type { NumberStatus } from '@numbers/contracts';
import { newId } from '@numbers/domain';
import { AccountRepository, KycDocumentRepository, NumberLifecycle, RegulatoryCaseRepository, type DB } from '@numbers/persistence';
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
  /** A KYC submission, paid, that the system takes through the carrier's review to this verdict. */
  reviewedTo?: 'declined';
  extra?: Partial<Insertable<DB['phoneNumbers']>>;
}

/** The demo's declined number: what the simulated reviewer says (on the ID document's requirement). */
const DEMO_DECLINE = { verdict: 'decline', reason: 'The ID document is unreadable' } as const;
const DEMO_ADDRESS = { requirementId: 'req_de_address', country_code: 'DE', business_name: 'Demo GmbH', street_address: 'Friedrichstrasse 68', locality: 'Berlin', postal_code: '10117' };
const DEMO_PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

const DAY = 24 * 3600 * 1000;

/** One number in each state of the lifecycle (the releasing one is released through the system). */
const DEMO_NUMBERS: DemoNumber[] = [
  { status: 'pending_payment', ordered: false },
  { status: 'provisioning', ordered: false, extra: { paidFirst: true } },
  { status: 'pending_regulatory', ordered: false, extra: { country: 'DE', monthlyCents: 900, requirementGroupId: 'rg_demo_pending' } },
  // Declined by the real review (so GET and POST .../remediate work on it): see seedDeclinedReview.
  { status: 'pending_payment', ordered: false, reviewedTo: 'declined', extra: { country: 'DE', monthlyCents: 900, paidFirst: true } },
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
 * The carrier's id of DE's identity document requirement, from its requirements API as the
 * provisioning worker reads it: a reviewer's decline names the carrier's ids, not our form's.
 */
async function identityDocumentRequirementId(config: AppConfig): Promise<string> {
  const query = 'filter[country_code]=DE&filter[phone_number_type]=local&filter[action]=ordering';
  const response = await fetch(`${config.telnyx.apiBaseUrl}/requirements?${query}`, { headers: { authorization: `Bearer ${config.telnyx.apiKey}` } });
  if (!response.ok) throw new Error(`carrier requirements of DE: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { data: { requirement_types: { id: string; type: string }[] }[] };
  const id = body.data[0]?.requirement_types.find((type) => type.type === 'document')?.id;
  if (!id) throw new Error('carrier requirements of DE: no document requirement');
  return id;
}

/**
 * A demo account on the growth plan: a profile, a number in every lifecycle state (those past
 * ordering exist at the simulated carrier and Meta too), a connected number, and a Stripe
 * subscription whose quantity is the billable count. The last active number is then released
 * through NumberLifecycle, so the workers carry it to `released` while you watch.
 */
export async function seedDemo(persistence: ScriptDatabase, config: AppConfig, simulatorUrl: string): Promise<DemoAccount> {
  const { db, get } = persistence;
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
    if (spec.reviewedTo) await seedDeclinedReview(persistence, config, simulatorUrl, id, account.accountId);
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

/**
 * A DE number whose KYC was submitted and paid for, declined by the carrier's reviewer through
 * the system's own review: its regulatory case (address, ID document) is written as a
 * submission writes it, the simulator's reviewer is told to decline the next group submitted
 * (DEMO_DECLINE), and the payment is confirmed through the lifecycle. The provisioning worker
 * then creates and submits the requirement group, the verdict comes back as Telnyx's webhook,
 * and the number ends `regulatory_declined` with the reason and the field to fix, as any
 * declined number does (seconds after the workers start).
 */
async function seedDeclinedReview({ db, get }: ScriptDatabase, config: AppConfig, simulatorUrl: string, numberId: string, accountId: string): Promise<void> {
  const document = await get(KycDocumentRepository).save({ accountId, filename: 'ausweis.pdf', contentType: 'application/pdf', content: DEMO_PDF });
  await db.transaction().execute((tx) =>
    get(RegulatoryCaseRepository).create(tx, {
      accountId,
      numberId,
      country: 'DE',
      numberType: 'local',
      submission: { values: {}, documents: { req_de_id: document.id }, address: DEMO_ADDRESS },
    }),
  );
  await simulatorPost(simulatorUrl, '/telnyx/requirement-groups/next-review', { ...DEMO_DECLINE, fields: [await identityDocumentRequirementId(config)], times: 1 });
  await get(NumberLifecycle).apply(numberId, 'payment_confirmed', { cause: 'demo seed: KYC submitted and paid', actor: 'stripe' });
}
