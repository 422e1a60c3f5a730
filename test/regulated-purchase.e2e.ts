// A number in a country that needs identity review (DE), end to end: the built provider
// simulator, gateway, provisioning worker and billing worker as real processes on a database and
// Redis prefix of their own, driven through the public `@zernio/node` SDK. The KYC form, a
// document upload and an address check, the submission (paid at Checkout first), the carrier's
// requirement group and its review (decided through the simulator's control API, the verdict
// coming back as a signed Telnyx webhook), the remediation of a decline, the order with the
// approved group, WhatsApp registration, billing. The group speaks the carrier's ids: its
// requirement types, the address the worker created at the carrier and the documents it uploaded
// there, which the simulator checks exist before it takes the group and the order.
import Zernio from '@zernio/node';
import type { Database } from '@numbers/persistence';
import { countOf, createTestAccountWithKey, eventually, startCustomerWebhookReceiver, type CustomerWebhookReceiver, type SimulatorProcess, type TestAccountWithKey } from '@numbers/test-support';
import { ADDRESS, PDF, reviewGroup, submitKycAndPay } from './support/kyc-purchase';
import { setWebhookPolicy, startSystem, type System } from './support/system';

const DE_MONTHLY_CENTS = 900; // the countries table: each number is billed at its own price

interface SimState {
  stripe: {
    subscriptions: { id: string; customer: string; status: string; quantity: number }[];
    invoices: { subscription: string | null; total: number }[];
    invoiceItems: { subscription: string | null; amount: number }[];
  };
  telnyx: {
    orders: { id: string; customerReference: string | null; status: string; phoneNumbers: { phoneNumber: string; requirementGroupId: string | null }[] }[];
    numbers: { phoneNumber: string; status: string }[];
    requirementGroups: { id: string; customerReference: string | null; status: string; submissions: number; requirements: { requirementId: string; fieldValue: string | null }[] }[];
    addresses: { id: string; customerReference: string | null; countryCode: string; businessName: string | null; streetAddress: string; postalCode: string | null }[];
    documents: { id: string; customerReference: string | null; filename: string | null; sha256: string }[];
  };
  webhooks: { deliveries: { provider: string; eventType: string | null; delivered: boolean }[] };
}

const dataOf = <T>(result: { data?: unknown }): T => result.data as T;

let system: System;
let db: Database;
let sim: SimulatorProcess;
let baseUrl: string;

const simState = () => sim.get<SimState>('/_sim/state');
const numberOf = (id: string) => db.selectFrom('phoneNumbers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const inStatus = (id: string, status: string) =>
  eventually(`number ${id} ${status}`, async () => {
    const number = await numberOf(id);
    return number.status === status ? number : null;
  });

const review = (groupId: string, body: unknown) => reviewGroup(sim, groupId, body);
const submitAndPay = (account: TestAccountWithKey, z: Zernio) => submitKycAndPay(system, account, z);

/**
 * The number's group as the carrier holds it, each value resolved to what the simulator created:
 * the address and documents, found by the customer references the worker gave them.
 */
async function carrierViewOf(numberId: string, groupId: string) {
  const state = await simState();
  const group = state.telnyx.requirementGroups.find((g) => g.id === groupId);
  const kyc = await db.selectFrom('regulatoryCases').selectAll().where('numberId', '=', numberId).executeTakeFirstOrThrow();
  const ourDocument = (kyc.documents as Record<string, string>)['req_de_id'];
  const address = state.telnyx.addresses.filter((a) => a.customerReference?.startsWith(`numbers-address-${numberId}-`));
  const documents = state.telnyx.documents.filter((d) => d.customerReference === `numbers-document-${ourDocument}`);
  const addressRequirement = group?.requirements.find((r) => address.some((a) => a.id === r.fieldValue));
  const documentRequirement = group?.requirements.find((r) => documents.some((d) => d.id === r.fieldValue));
  return { group, address, documents, addressRequirement, documentRequirement };
}

/** The group references the carrier's requirement types and the address and document the simulator created, never our ids. */
async function expectCarrierIds(numberId: string, groupId: string): Promise<{ documentRequirementId: string }> {
  const view = await carrierViewOf(numberId, groupId);
  expect(view.address).toEqual([expect.objectContaining({ countryCode: 'DE', businessName: 'Acme GmbH', streetAddress: ADDRESS.street_address, postalCode: ADDRESS.postal_code })]);
  expect(view.documents).toHaveLength(1);
  expect(view.group?.requirements).toHaveLength(2);
  expect(view.addressRequirement).toBeDefined();
  expect(view.documentRequirement).toBeDefined();
  for (const requirement of view.group?.requirements ?? []) expect(requirement.requirementId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  return { documentRequirementId: view.documentRequirement?.requirementId ?? '' };
}

/** Active, billed once: one order at the carrier (with the group), one group, one charge, quantity 1. */
async function expectActiveAndBilledOnce(account: TestAccountWithKey, numberId: string, groupId: string, reviews: number): Promise<void> {
  const active = await inStatus(numberId, 'active');
  expect(active).toMatchObject({ country: 'DE', phoneNumber: expect.stringMatching(/^\+49/), metaVerificationStatus: 'VERIFIED', requirementGroupId: groupId });
  await eventually('billing started', async () => (await countOf(db.selectFrom('ledgerEntries').where('numberId', '=', numberId).where('kind', '=', 'charge'))) === 1);
  await sim.post('/_sim/webhooks/drain', { timeoutMs: 20_000 });
  await eventually('every webhook processed', async () => (await countOf(db.selectFrom('webhookEvents').where('processedAt', 'is', null))) === 0);

  const state = await simState();
  const orders = state.telnyx.orders.filter((o) => o.customerReference === numberId);
  expect(orders.map((o) => [o.status, o.phoneNumbers.map((l) => [l.phoneNumber, l.requirementGroupId])])).toEqual([['success', [[active.phoneNumber, groupId]]]]);
  const groups = state.telnyx.requirementGroups.filter((g) => g.customerReference === numberId);
  expect(groups.map((g) => [g.id, g.status, g.submissions])).toEqual([[groupId, 'approved', reviews]]);
  // The order went through with a group that references what the carrier created: one address,
  // and the document that was last sent, each once however many times the jobs ran.
  await expectCarrierIds(numberId, groupId);
  const billingAccount = await db.selectFrom('billingAccounts').selectAll().where('accountId', '=', account.accountId).executeTakeFirstOrThrow();
  expect(state.stripe.subscriptions.filter((s) => s.customer === billingAccount.stripeCustomerId)).toEqual([
    expect.objectContaining({ id: billingAccount.stripeSubscriptionId, status: 'active', quantity: 1 }),
  ]);
  const invoices = state.stripe.invoices.filter((i) => i.subscription === billingAccount.stripeSubscriptionId);
  expect(invoices.reduce((sum, i) => sum + i.total, 0)).toBe(DE_MONTHLY_CENTS);
  expect(await countOf(db.selectFrom('ledgerEntries').where('numberId', '=', numberId).where('kind', '=', 'charge'))).toBe(1);
  expect(await countOf(db.selectFrom('phoneNumbers').where('accountId', '=', account.accountId))).toBe(1);
}

/** A decline, read and remediated through the SDK, then approved. */
async function declineRemediateApprove(z: Zernio, numberId: string, groupId: string): Promise<void> {
  // The reviewer flags the carrier's requirement; the customer is asked for our field behind it.
  const { documentRequirementId } = await expectCarrierIds(numberId, groupId);
  await review(groupId, { verdict: 'decline', reason: 'The ID document is unreadable', fields: [documentRequirementId] });
  await inStatus(numberId, 'regulatory_declined');

  const view = dataOf<{ numbers: { _id: string; status: string; regulatoryDeclineReason: string | null }[] }>(
    await z.whatsappphonenumbers.getWhatsAppPhoneNumbers({ query: { status: 'pending_regulatory' } }),
  );
  expect(view.numbers.find((n) => n._id === numberId)).toMatchObject({ status: 'regulatory_declined', regulatoryDeclineReason: 'The ID document is unreadable' });
  const remediation = dataOf<{ declineReason: string; fields: { requirementId: string }[] }>(
    await z.whatsappphonenumbers.getWhatsAppNumberRemediation({ path: { id: numberId } }),
  );
  expect(remediation).toMatchObject({ country: 'DE', numberType: 'local', declineReason: 'The ID document is unreadable', fields: [{ requirementId: 'req_de_id' }] });

  const remediated = dataOf<{ status: string; phoneNumber: { id: string; status: string } }>(
    await z.whatsappphonenumbers.remediateWhatsAppNumber({
      path: { id: numberId },
      body: { documents: [{ requirementId: 'req_de_id', filename: 'ausweis-lesbar.pdf', base64: PDF.toString('base64') }] },
    }),
  );
  expect(remediated).toEqual({ status: 'resubmitted', phoneNumber: { id: numberId, status: 'pending_regulatory' } });
  // The worker sends the correction to the same group and submits it again.
  await eventually('group resubmitted', async () => {
    const group = (await simState()).telnyx.requirementGroups.find((g) => g.id === groupId);
    return group?.status === 'pending-approval' && group.submissions === 2;
  });
  // The corrected document was uploaded to the carrier and the group references it by the carrier's id.
  const corrected = await carrierViewOf(numberId, groupId);
  expect(corrected.documents).toEqual([expect.objectContaining({ filename: 'ausweis-lesbar.pdf' })]);
  expect(corrected.documentRequirement).toMatchObject({ requirementId: documentRequirementId, fieldValue: corrected.documents[0].id });
  await review(groupId, { verdict: 'approve' });
}

let receiver: CustomerWebhookReceiver;

beforeAll(async () => {
  receiver = await startCustomerWebhookReceiver();
  system = await startSystem({}, { deliveries: true });
  ({ db, sim, baseUrl } = system);
}, 300_000);

afterAll(async () => {
  await system?.stop();
  await receiver?.stop();
});

const NUMBER_EVENTS = ['whatsapp.number.kyc_submitted', 'whatsapp.number.declined', 'whatsapp.number.activated'] as const;

/** The customer events born for a number, in order. */
async function customerEventsOf(numberId: string): Promise<string[]> {
  const rows = await db.selectFrom('customerEvents').select(['type', 'payload']).orderBy('createdAt').orderBy('id').execute();
  return rows.filter((r) => (r.payload as { phoneNumber?: { id: string } }).phoneNumber?.id === numberId).map((r) => r.type);
}

describe('a number in a country that needs identity review', () => {
  it('approved: KYC submitted and paid, reviewed, ordered with the approved group, active, billed once', async () => {
    const acme = await createTestAccountWithKey(db, { name: 'Acme', planCode: 'growth' });
    const z = new Zernio({ apiKey: acme.apiKey, baseURL: baseUrl });
    const { numberId, groupId } = await submitAndPay(acme, z);
    await review(groupId, { verdict: 'approve' });
    await expectActiveAndBilledOnce(acme, numberId, groupId, 1);

    const history = await db.selectFrom('numberStatusHistory').selectAll().where('numberId', '=', numberId).where('applied', '=', true).orderBy('id').execute();
    expect(history.map((h) => [h.event, h.toStatus, h.actor])).toEqual([
      ['purchase_accepted', 'pending_payment', 'customer'],
      ['payment_confirmed', 'provisioning', 'stripe'],
      ['regulatory_review_started', 'pending_regulatory', 'system'],
      ['number_ordered', 'verifying', 'telnyx'],
      ['whatsapp_verified', 'active', 'telnyx'],
    ]);
    // The request id travels with the work: the jobs that ordered the number descend from the
    // providers' webhook deliveries (Stripe's payment, Telnyx's verdict), and their outbox rows
    // name those requests, which the worker puts on each log line of the job.
    const outbox = await db.selectFrom('outbox').select(['name', 'payload', 'requestId']).orderBy('id').execute();
    const ordering = outbox.filter((r) => ['order-number', 'settle-regulatory-verdict'].includes(r.name) && (r.payload as { numberId?: string }).numberId === numberId);
    expect(ordering.map((r) => r.name)).toEqual(expect.arrayContaining(['order-number', 'settle-regulatory-verdict']));
    for (const row of ordering) expect(row.requestId).toEqual(expect.any(String));
    // Approved, the verification can be reused for the next DE number.
    const form = dataOf<{ reusable: { options: { id: string; instant: boolean }[] } | null }>(
      await z.whatsappphonenumbers.getWhatsAppNumberKycForm({ query: { country: 'DE', profileId: acme.profileId } }),
    );
    expect(form.reusable?.options).toEqual([expect.objectContaining({ instant: true })]);
  });

  it('declined, remediated, approved: the same number and group, exactly one number ordered at the carrier and one charge', async () => {
    const globex = await createTestAccountWithKey(db, { name: 'Globex', planCode: 'growth' });
    const z = new Zernio({ apiKey: globex.apiKey, baseURL: baseUrl });
    await z.webhooks.createWebhookSettings({ body: { name: 'numbers', url: `${receiver.url}/globex`, events: [...NUMBER_EVENTS] } });
    const { numberId, groupId } = await submitAndPay(globex, z);
    await declineRemediateApprove(z, numberId, groupId);
    await expectActiveAndBilledOnce(globex, numberId, groupId, 2);

    // The customer heard each step: submitted, declined with the reason, submitted again, active.
    const heard = await eventually('four number events delivered', async () => (receiver.deliveries('/globex').length >= 4 ? receiver.deliveries('/globex') : null));
    expect(heard.map((d) => [d.body.event, (d.body as { phoneNumber?: { status: string } }).phoneNumber?.status])).toEqual([
      ['whatsapp.number.kyc_submitted', 'pending_regulatory'],
      ['whatsapp.number.declined', 'regulatory_declined'],
      ['whatsapp.number.kyc_submitted', 'pending_regulatory'],
      ['whatsapp.number.activated', 'active'],
    ]);
    expect(heard[1].body).toMatchObject({ phoneNumber: { id: numberId, country: 'DE', regulatoryDeclineReason: 'The ID document is unreadable' } });

    const history = await db.selectFrom('numberStatusHistory').selectAll().where('numberId', '=', numberId).where('applied', '=', true).orderBy('id').execute();
    expect(history.map((h) => h.event)).toEqual([
      'purchase_accepted',
      'payment_confirmed',
      'regulatory_review_started',
      'regulatory_declined',
      'remediation_submitted',
      'number_ordered',
      'whatsapp_verified',
    ]);
    expect(await numberOf(numberId)).toMatchObject({ regulatoryDeclineReason: null });
  });

  it('every provider webhook delivered five times, shuffled: the same outcome, nothing ordered or charged twice', async () => {
    await setWebhookPolicy(sim, { copies: 5, shuffle: true });
    try {
      const initech = await createTestAccountWithKey(db, { name: 'Initech', planCode: 'growth' });
      const z = new Zernio({ apiKey: initech.apiKey, baseURL: baseUrl });
      const { numberId, groupId } = await submitAndPay(initech, z);
      await declineRemediateApprove(z, numberId, groupId);
      await expectActiveAndBilledOnce(initech, numberId, groupId, 2);

      const state = await simState();
      const verdicts = state.webhooks.deliveries.filter((d) => d.eventType === 'requirement_group.status_updated' && d.delivered);
      expect(verdicts.length).toBeGreaterThanOrEqual(10);
      const applied = await db.selectFrom('numberStatusHistory').selectAll().where('numberId', '=', numberId).where('applied', '=', true).execute();
      expect(applied.map((h) => h.event).sort()).toEqual(
        ['number_ordered', 'payment_confirmed', 'purchase_accepted', 'regulatory_declined', 'regulatory_review_started', 'remediation_submitted', 'whatsapp_verified'].sort(),
      );
      // One customer event per state change, however many copies of each webhook came.
      expect(await customerEventsOf(numberId)).toEqual(['whatsapp.number.kyc_submitted', 'whatsapp.number.declined', 'whatsapp.number.kyc_submitted', 'whatsapp.number.activated']);
      const stored = await db.selectFrom('webhookEvents').selectAll().where('eventType', '=', 'requirement_group.status_updated').execute();
      expect(stored.filter((e) => e.outcome === 'applied').length).toBeGreaterThanOrEqual(4); // two verdicts in each of the last two tests
    } finally {
      await setWebhookPolicy(sim, { copies: 1, shuffle: false });
    }
  });
});
