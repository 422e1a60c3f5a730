import type { JobPayloads, WebhookEventRef } from '@numbers/contracts';
import { ledgerTotalCents } from '@numbers/domain';
import type { JobContext } from '@numbers/messaging';
import { BillingAccountRepository, Database, PersistenceModule } from '@numbers/persistence';
import { createStripeClient, STRIPE_GATEWAY, type StripeGateway } from '@numbers/providers';
import { countOf, startHandlerTestBed, transactionsLeftOpen, type HandlerTestBed, type SimulatorProcess, type WebhookCapture } from '@numbers/test-support';
import type Stripe from 'stripe';
import { BILLING_REPOSITORIES, createMoneyAccount, deliverStripeEvent, renew, type MoneySimState } from '../testing/money-test-bed';
import { CreditSlotChargesHandler } from './credit-slot-charges.handler';
import { InvoiceLedger } from './invoice-ledger';
import { InvoiceEventHandler } from './invoice.event-handler';
import { PaymentStanding } from './payment-standing';
import { SettleInvoiceHandler, type InvoiceSettlement } from './settle-invoice.handler';

jest.setTimeout(60_000);

const UNIT = 300;

/**
 * Integration: `invoice.payment_failed` and `invoice.paid` against a real database of this file
 * and the provider simulator, whose signed webhooks come to a stand-in for the gateway; the
 * `settle-invoice` job they queue, then the `credit-slot-charges` job that one queues. Renewals come from moving the simulator's clock, failed
 * charges from arming the simulator for one customer, payment from paying the invoice at Stripe.
 */
describe('invoice event handlers and slot credits', () => {
  let bed: HandlerTestBed<true>;
  let capture: WebhookCapture;
  let sim: SimulatorProcess;
  let db: Database;
  let stripe: StripeGateway;
  let client: Stripe;
  let events: InvoiceEventHandler;
  let settleInvoice: SettleInvoiceHandler;
  let credits: CreditSlotChargesHandler;

  beforeAll(async () => {
    bed = await startHandlerTestBed({
      imports: [PersistenceModule],
      providers: [InvoiceLedger, PaymentStanding, InvoiceEventHandler, SettleInvoiceHandler, CreditSlotChargesHandler, ...BILLING_REPOSITORIES],
      captureWebhooks: true,
    });
    ({ sim, capture } = bed);
    db = bed.moduleRef.get(Database);
    stripe = bed.moduleRef.get<StripeGateway>(STRIPE_GATEWAY);
    client = createStripeClient(bed.config.stripe);
    events = bed.moduleRef.get(InvoiceEventHandler);
    settleInvoice = bed.moduleRef.get(SettleInvoiceHandler);
    credits = bed.moduleRef.get(CreditSlotChargesHandler);
  });

  afterAll(() => bed?.stop());

  const simState = () => sim.get<MoneySimState>('/_sim/state');
  const ledgerOf = (accountId: string) => db.selectFrom('ledgerEntries').selectAll().where('accountId', '=', accountId).orderBy('at', 'asc').orderBy('id', 'asc').execute();
  const statuses = async (ids: string[]) => (await db.selectFrom('phoneNumbers').selectAll().where('id', 'in', ids).orderBy('id', 'asc').execute()).map((n) => [n.status, n.suspensionReason]);
  const creditJobs = async (accountId: string) =>
    (await db.selectFrom('outbox').selectAll().where('name', '=', 'credit-slot-charges').orderBy('id', 'asc').execute()).filter((j) => JSON.stringify(j.payload).includes(accountId));
  const jobCtx = (jobId: string): JobContext => ({ jobId, name: 'credit-slot-charges', queue: 'billing', attempt: 1, maxAttempts: 10 });

  /** The `settle-invoice` jobs the outbox holds and nothing published yet, run in order as the worker would: what each returned. */
  async function runSettleInvoiceJobs(): Promise<InvoiceSettlement[]> {
    const rows = await db.updateTable('outbox').set({ publishedAt: new Date() }).where('name', '=', 'settle-invoice').where('publishedAt', 'is', null).returning(['id', 'payload']).execute();
    const results: InvoiceSettlement[] = [];
    for (const row of rows.sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)))) {
      const ctx: JobContext = { jobId: `settle-invoice.${row.id}`, name: 'settle-invoice', queue: 'billing', attempt: 1, maxAttempts: 10 };
      results.push(await settleInvoice.handle(row.payload as JobPayloads['settle-invoice'], ctx));
    }
    return results;
  }

  /** The event processed as the webhook processor does (it queues `settle-invoice`), then that job: what the job did. */
  async function settle(ref: WebhookEventRef<'stripe'>): Promise<InvoiceSettlement> {
    await expect(deliverStripeEvent(db, events, ref)).resolves.toEqual({ outcome: 'applied', detail: `settle-invoice queued for invoice ${String(ref.payload.data.object['id'])}` });
    const [settled, ...more] = await runSettleInvoiceJobs();
    expect(more).toEqual([]);
    return settled;
  }

  function invoiceEvent(type: string, invoiceId: string): Promise<WebhookEventRef<'stripe'>> {
    return capture.next('stripe', (e) => e.eventType === type && e.payload.data.object['id'] === invoiceId);
  }

  async function renewalOf(subscriptionId: string) {
    await renew(sim, subscriptionId);
    const [invoice] = await stripe.listInvoices({ subscriptionId });
    expect(invoice.billingReason).toBe('subscription_cycle');
    return invoice;
  }

  it('payment failed: the active numbers are suspended with the reason, once; paid: active again; the slot it charged is credited, once', async () => {
    // Two active numbers and a third being provisioned (its paid slot is in the quantity).
    const account = await createMoneyAccount(db, stripe, [{ status: 'active' }, { status: 'active' }, { status: 'provisioning' }]);
    const [a, b, slot] = account.numbers;
    await sim.post('/_sim/stripe/fail-next-payment', { customer: account.customerId });
    const invoice = await renewalOf(account.subscriptionId);
    expect(invoice).toMatchObject({ status: 'open', total: 3 * UNIT });
    const failure = await invoiceEvent('invoice.payment_failed', invoice.id);

    await expect(settle(failure)).resolves.toMatchObject({ outcome: 'applied' });
    const reason = `payment failed: invoice ${invoice.id} ($9.00 due, attempt 1) is unpaid`;
    expect(await statuses([a, b])).toEqual([
      ['suspended', reason],
      ['suspended', reason],
    ]);
    expect(await statuses([slot])).toEqual([['provisioning', null]]);
    expect(await db.selectFrom('billingAccounts').selectAll().where('accountId', '=', account.accountId).executeTakeFirstOrThrow()).toMatchObject({ subscriptionStatus: 'past_due' });
    // The renewal's lines, attributed: a unit per active number, one for the slot; nothing paid yet.
    const afterFailure = await ledgerOf(account.accountId);
    expect(afterFailure.map((e) => [e.kind, e.numberId, e.amountCents, e.stripeObjectId, e.invoiceId]).sort()).toEqual(
      [
        ['period', a, UNIT, invoice.id, invoice.id],
        ['period', b, UNIT, invoice.id, invoice.id],
        ['slot', slot, UNIT, invoice.id, invoice.id],
      ].sort(),
    );

    // The same event again: nothing moves, nothing is recorded twice.
    await expect(settle(failure)).resolves.toMatchObject({ outcome: 'ignored' });
    expect(await ledgerOf(account.accountId)).toHaveLength(3);
    expect(await countOf(db.selectFrom('numberStatusHistory').where('numberId', '=', a).where('event', '=', 'payment_failed').where('applied', '=', true))).toBe(1);

    // The customer pays the invoice (Stripe's retry, or the hosted invoice page).
    await client.invoices.pay(invoice.id, {}, { idempotencyKey: `pay-${invoice.id}` });
    const payment = await invoiceEvent('invoice.paid', invoice.id);
    await expect(settle(payment)).resolves.toMatchObject({ outcome: 'applied' });
    expect(await statuses([a, b])).toEqual([
      ['active', null],
      ['active', null],
    ]);
    // Recovery does not start billing again, nor change the quantity.
    const recovered = await db.selectFrom('numberStatusHistory').selectAll().where('numberId', '=', a).where('event', '=', 'payment_recovered').execute();
    expect(recovered.map((h) => [h.fromStatus, h.toStatus, h.applied])).toEqual([['suspended', 'active', true]]);
    const jobs = await db.selectFrom('outbox').selectAll().where('kind', '=', 'job').execute();
    expect(jobs.filter((j) => JSON.stringify(j.payload).includes(a)).map((j) => j.name)).toEqual([]);
    expect(await creditJobs(account.accountId)).toEqual([expect.objectContaining({ payload: { accountId: account.accountId, invoiceId: invoice.id } })]);
    expect((await ledgerOf(account.accountId)).filter((e) => e.kind === 'payment')).toEqual([
      expect.objectContaining({ amountCents: -3 * UNIT, stripeObjectType: 'invoice', stripeObjectId: invoice.id, entryKey: `payment:${invoice.id}` }),
    ]);

    // Paid again (a repeat): nothing new. A late `payment_failed` for it (out of order): nothing suspended.
    await settle(payment);
    expect(await ledgerOf(account.accountId)).toHaveLength(4);
    await expect(settle(failure)).resolves.toMatchObject({ outcome: 'ignored', detail: expect.stringContaining(`invoice ${invoice.id} is paid now`) });
    expect(await statuses([a, b])).toEqual([
      ['active', null],
      ['active', null],
    ]);

    // The job the payment enqueued: the slot's unit goes back to the customer's balance, once.
    const done = await credits.handle({ accountId: account.accountId, invoiceId: invoice.id }, jobCtx('credit-slot-charges.1'));
    expect(done).toEqual({ credited: [{ numberId: slot, creditNoteId: expect.stringMatching(/^cn_/), amountCents: UNIT }] });
    await expect(credits.handle({ accountId: account.accountId, invoiceId: invoice.id }, jobCtx('credit-slot-charges.1'))).resolves.toEqual({
      credited: [],
      reason: 'nothing left to credit',
    });
    const state = await simState();
    const notes = state.stripe.creditNotes.filter((n) => n.invoice === invoice.id);
    expect(notes).toEqual([
      expect.objectContaining({ amount: UNIT, creditAmount: UNIT, metadata: { numberId: slot, reason: 'slot_charged_before_active' }, lines: [expect.objectContaining({ quantity: 1, amount: UNIT })] }),
    ]);
    expect(state.requests.stripe.filter((r) => r.path === '/v1/credit_notes' && r.method === 'POST').map((r) => r.idempotencyKey)).toEqual([`slot-credit-${slot}-${invoice.id}`]);
    const ledger = await ledgerOf(account.accountId);
    expect(ledger.filter((e) => e.kind === 'credit')).toEqual([
      expect.objectContaining({ numberId: slot, amountCents: -UNIT, stripeObjectType: 'credit_note', stripeObjectId: notes[0].id, invoiceId: invoice.id }),
    ]);
    // The ledger adds up to the customer's balance at Stripe: the slot's unit is credit for the next invoice.
    expect(ledgerTotalCents(ledger)).toBe(state.stripe.customers.find((c) => c.id === account.customerId)?.balance);
    expect(ledgerTotalCents(ledger)).toBe(-UNIT);
  });

  it('a payment failure the customer already fixed suspends nothing', async () => {
    const account = await createMoneyAccount(db, stripe, [{ status: 'active' }]);
    await sim.post('/_sim/stripe/fail-next-payment', { customer: account.customerId });
    const invoice = await renewalOf(account.subscriptionId);
    const failure = await invoiceEvent('invoice.payment_failed', invoice.id);
    // Paid at Stripe before the failure's webhook is processed (it came late).
    await client.invoices.pay(invoice.id, {}, { idempotencyKey: `pay-${invoice.id}` });

    await expect(settle(failure)).resolves.toMatchObject({ detail: expect.stringContaining('is paid now: nothing to suspend') });
    expect(await statuses(account.numbers)).toEqual([['active', null]]);
    await settle(await invoiceEvent('invoice.paid', invoice.id));
    expect(await statuses(account.numbers)).toEqual([['active', null]]);
    // Both written by the failure's job (the invoice it read was paid), in the same millisecond at times: in no set order.
    const ledger = await ledgerOf(account.accountId);
    expect(ledger.map((e) => [e.kind, e.amountCents]).sort()).toEqual([
      ['payment', -UNIT],
      ['period', UNIT],
    ]);
    expect(await creditJobs(account.accountId)).toEqual([]);
  });

  it("reads the invoice from Stripe with no transaction open and without the account's billing lock", async () => {
    const account = await createMoneyAccount(db, stripe, [{ status: 'active' }]);
    const invoice = await renewalOf(account.subscriptionId);
    await deliverStripeEvent(db, events, await invoiceEvent('invoice.paid', invoice.id));
    await sim.post('/_sim/faults', { provider: 'stripe', method: 'GET', path: `/v1/invoices/${invoice.id}`, action: 'delay', delayMs: 1500 });

    const running = runSettleInvoiceJobs();
    await new Promise((r) => setTimeout(r, 500)); // the job is waiting for Stripe's answer
    expect(await transactionsLeftOpen(db)).toBe(0);
    // The account's billing lock is free: another billing change of the account takes it at once.
    const lock = db.transaction().execute(async (tx) => {
      await bed.moduleRef.get(BillingAccountRepository).lock(account.accountId, tx);
      return 'taken';
    });
    await expect(Promise.race([lock, new Promise((r) => setTimeout(() => r('waiting'), 300))])).resolves.toBe('taken');

    await expect(running).resolves.toEqual([{ outcome: 'applied', detail: `invoice ${invoice.id} paid; 2 ledger row(s)` }]);
  });

  it('ignores invoices of customers that are not ours', async () => {
    const ref: WebhookEventRef<'stripe'> = {
      provider: 'stripe',
      eventId: 'evt_other',
      eventType: 'invoice.paid',
      payload: { id: 'evt_other', type: 'invoice.paid', data: { object: { id: 'in_other', customer: 'cus_other' } } },
    };
    await expect(deliverStripeEvent(db, events, ref)).resolves.toEqual({ outcome: 'ignored', detail: 'customer cus_other is not one of our accounts' });
    await expect(deliverStripeEvent(db, events, { ...ref, eventType: 'invoice.payment_failed' })).resolves.toMatchObject({ outcome: 'ignored' });
    expect(await runSettleInvoiceJobs()).toEqual([]);
  });

  it('numbers at two prices: each price line charges its own numbers, and a DE slot is given back at 900', async () => {
    const DE = 900;
    const account = await createMoneyAccount(db, stripe, [{ status: 'active' }, { status: 'provisioning', country: 'DE', monthlyCents: DE }]);
    const [us, de] = account.numbers;
    const invoice = await renewalOf(account.subscriptionId);
    expect(invoice.total).toBe(UNIT + DE);
    await expect(settle(await invoiceEvent('invoice.paid', invoice.id))).resolves.toMatchObject({ outcome: 'applied' });
    const lines = (await ledgerOf(account.accountId)).filter((e) => e.kind === 'period' || e.kind === 'slot');
    expect(lines.map((e) => [e.kind, e.numberId, e.amountCents]).sort()).toEqual([
      ['period', us, UNIT],
      ['slot', de, DE],
    ]);

    const done = await credits.handle({ accountId: account.accountId, invoiceId: invoice.id }, jobCtx('credit-slot-charges.prices'));
    expect(done).toEqual({ credited: [{ numberId: de, creditNoteId: expect.stringMatching(/^cn_/), amountCents: DE }] });
    const state = await simState();
    expect(state.stripe.creditNotes.filter((n) => n.invoice === invoice.id)).toEqual([expect.objectContaining({ amount: DE, creditAmount: DE, lines: [expect.objectContaining({ quantity: 1, amount: DE })] })]);
    const ledger = await ledgerOf(account.accountId);
    expect(ledgerTotalCents(ledger)).toBe(-DE);
    expect(ledgerTotalCents(ledger)).toBe(state.stripe.customers.find((c) => c.id === account.customerId)?.balance);
  });
});
