import type { WebhookEventRef } from '@numbers/contracts';
import { newId } from '@numbers/domain';
import type { JobContext } from '@numbers/messaging';
import { Database, PersistenceModule, ProvisioningNumberRepository, RegulatoryCaseRepository, StuckNumberSweep, StuckNumbersRepository, type NewPhoneNumber } from '@numbers/persistence';
import { CARRIER_GATEWAY, type CarrierGateway } from '@numbers/providers';
import { countOf, createTestAccount, eventJob, startHandlerTestBed, storedEvent, transactionsLeftOpen, type HandlerTestBed, type SimulatorProcess, type WebhookCapture } from '@numbers/test-support';
import { CARRIER_KYC_PROVIDERS } from './carrier-kyc-references';
import { setOrderCompletionDelay } from '../testing/carrier-orders';
import { runQueuedJobs } from '../testing/queued-jobs';
import { MessageReceivedEventHandler } from './message-received.event-handler';
import { NumberOrderSettlement } from './number-order-settlement';
import { OrderNumberHandler } from './order-number.handler';
import { ProvisioningFailure } from './provisioning-failure';
import { RegisterWhatsAppHandler } from './register-whatsapp.handler';
import { RegulatoryReview } from './regulatory-review';
import { ResumeStalledProvisioningHandler, WHATSAPP_CODE_NOT_RECEIVED } from './resume-stalled-provisioning.handler';
import { VerifyWhatsAppCodeHandler } from './verify-whatsapp-code.handler';
import { WhatsAppActivation } from './whatsapp-activation';
import { CarrierOrderPlacement } from './carrier-order-placement';

jest.setTimeout(60_000);

const HOUR = 3600_000;

interface SimState {
  telnyx: { orders: { id: string; status: string; customerReference: string | null; phoneNumbers: { phoneNumber: string }[] }[] };
  meta: { numbers: { id: string; phoneNumber: string }[] };
  requests: Record<'telnyx' | 'meta', { method: string; path: string; status: number; idempotencyKey: string | null }[]>;
}

/**
 * Integration: the `resume-stalled-provisioning` sweep against a real database of this file and
 * the provider simulator, whose signed webhooks go to a stand-in for the gateway that delivers
 * only what a test hands on. The stuck situations are made on purpose: a lost
 * `number_order.complete`, a lost `order-number` job (the worker died after the carrier took the
 * order), a lost `register-whatsapp` job, a WhatsApp code SMS that never arrives.
 */
describe('ResumeStalledProvisioningHandler', () => {
  let bed: HandlerTestBed<true>;
  let capture: WebhookCapture;
  let sim: SimulatorProcess;
  let db: Database;
  let carrier: CarrierGateway;
  let sweep: ResumeStalledProvisioningHandler;
  let orderNumber: OrderNumberHandler;
  let registerWhatsApp: RegisterWhatsAppHandler;
  let messages: MessageReceivedEventHandler;
  let accountId: string;
  let profileId: string;
  let runs = 0;
  let seq = 0;

  beforeAll(async () => {
    bed = await startHandlerTestBed({
      imports: [PersistenceModule],
      providers: [
        ProvisioningNumberRepository,
        ProvisioningFailure,
        ResumeStalledProvisioningHandler,
        StuckNumbersRepository,
        StuckNumberSweep,
        NumberOrderSettlement,
        CarrierOrderPlacement,
        OrderNumberHandler,
        RegulatoryCaseRepository,
        RegulatoryReview,
        ...CARRIER_KYC_PROVIDERS,
        WhatsAppActivation,
        RegisterWhatsAppHandler,
        MessageReceivedEventHandler,
        VerifyWhatsAppCodeHandler,
      ],
      captureWebhooks: true,
    });
    ({ sim, capture } = bed);
    db = bed.moduleRef.get(Database);
    carrier = bed.moduleRef.get<CarrierGateway>(CARRIER_GATEWAY);
    sweep = bed.moduleRef.get(ResumeStalledProvisioningHandler);
    orderNumber = bed.moduleRef.get(OrderNumberHandler);
    registerWhatsApp = bed.moduleRef.get(RegisterWhatsAppHandler);
    messages = bed.moduleRef.get(MessageReceivedEventHandler);
    ({ accountId, profileId } = await createTestAccount(db, { name: 'Acme Plumbing' }));
  });

  afterAll(() => bed?.stop());

  afterEach(async () => {
    await setOrderCompletionDelay(sim, 0);
    await sim.post('/_sim/webhooks/drain', {});
  });

  function run(): ReturnType<ResumeStalledProvisioningHandler['handle']> {
    runs++;
    const ctx: JobContext = { jobId: `repeat:resume-stalled-provisioning:${runs}`, name: 'resume-stalled-provisioning', queue: 'provisioning', attempt: 1, maxAttempts: 1 };
    return sweep.handle({}, ctx);
  }

  function job(name: 'order-number' | 'register-whatsapp', jobId: string): JobContext {
    return { jobId, name, queue: 'provisioning', attempt: 1, maxAttempts: 10 };
  }

  /** A paid number in `provisioning` since `ageMs` ago. */
  async function provisioningNumber(ageMs: number): Promise<string> {
    const id = newId();
    await db
      .insertInto('phoneNumbers')
      .values({ id, accountId, profileId, country: 'US', status: 'provisioning', paidFirst: true, monthlyCents: 300, createdAt: new Date(Date.now() - ageMs) })
      .execute();
    return id;
  }

  /** A number the carrier holds for us (so SMS to it arrive), `verifying` since `ageMs` ago. */
  async function verifyingNumber(ageMs: number, fields: Partial<NewPhoneNumber> = {}): Promise<{ id: string; phone: string }> {
    seq++;
    const phone = `+1555040${String(seq).padStart(4, '0')}`;
    const telnyxNumberId = `43000000000000${String(seq).padStart(5, '0')}`;
    await sim.post('/_sim/telnyx/numbers', { id: telnyxNumberId, phoneNumber: phone });
    const id = newId();
    await db
      .insertInto('phoneNumbers')
      .values({
        id,
        accountId,
        profileId,
        phoneNumber: phone,
        country: 'US',
        status: 'verifying',
        paidFirst: true,
        monthlyCents: 300,
        telnyxNumberId,
        createdAt: new Date(Date.now() - ageMs),
        ...fields,
      })
      .execute();
    return { id, phone };
  }

  function simState(): Promise<SimState> {
    return sim.get<SimState>('/_sim/state');
  }

  async function jobsFor(numberId: string): Promise<string[]> {
    const rows = await db.selectFrom('outbox').selectAll().where('kind', '=', 'job').orderBy('id').execute();
    return rows.filter((r) => JSON.stringify(r.payload).includes(numberId)).map((r) => r.name);
  }

  function number(id: string) {
    return db.selectFrom('phoneNumbers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }

  it('settles an order whose number_order.complete was lost, as the webhook does, once, even with two runs at once', async () => {
    await setOrderCompletionDelay(sim, 300);
    const id = await provisioningNumber(HOUR);
    await expect(orderNumber.handle({ numberId: id }, job('order-number', 'order-number.1'))).resolves.toMatchObject({ outcome: 'pending' });
    const { telnyxOrderId } = await number(id);
    // The carrier fulfils it and sends number_order.complete, which never reaches a worker.
    await capture.next('telnyx', (e) => e.eventType === 'number_order.complete' && e.payload.payload['customer_reference'] === id);

    const [a, b] = await Promise.all([run(), run()]);
    const acted = [...a.acted, ...b.acted].filter((x) => x.numberId === id);
    const order = (await simState()).telnyx.orders.find((o) => o.id === telnyxOrderId);
    expect(acted).toEqual([{ numberId: id, kind: 'provisioning_stalled', action: `ordered: ${order?.phoneNumbers[0].phoneNumber}` }]);
    // Settled from the order alone: the carrier's id of the number is looked up by register-whatsapp.
    expect(await number(id)).toMatchObject({ status: 'verifying', telnyxOrderId, phoneNumber: order?.phoneNumbers[0].phoneNumber, telnyxNumberId: null });
    expect(await jobsFor(id)).toEqual(['register-whatsapp']);
    const history = await db.selectFrom('numberStatusHistory').selectAll().where('numberId', '=', id).execute();
    expect(history.map((h) => [h.event, h.applied, h.actor])).toEqual([['number_ordered', true, 'system']]);
    expect(history[0].cause).toMatch(new RegExp(`^sweep resume-stalled-provisioning \\(job repeat:resume-stalled-provisioning:\\d+\\): order ${telnyxOrderId} success$`));
    const reads = (await simState()).requests.telnyx.filter((r) => r.method === 'GET' && r.path === `/v2/number_orders/${telnyxOrderId}`);
    expect(reads).toHaveLength(1);

    // The second run changes nothing.
    await expect(run()).resolves.toEqual({ acted: [], failed: [] });
    expect(await countOf(db.selectFrom('numberStatusHistory').where('numberId', '=', id))).toBe(1);
  });

  it('leaves an order still pending at the carrier, and looks again only after the threshold', async () => {
    await setOrderCompletionDelay(sim, 60_000);
    const id = await provisioningNumber(HOUR);
    await orderNumber.handle({ numberId: id }, job('order-number', 'order-number.2'));
    const { telnyxOrderId } = await number(id);

    expect((await run()).acted).toEqual([{ numberId: id, kind: 'provisioning_stalled', action: `order ${telnyxOrderId} still pending at the carrier` }]);
    await expect(run()).resolves.toEqual({ acted: [], failed: [] });
    expect(await number(id)).toMatchObject({ status: 'provisioning', version: 0 });
    expect((await simState()).requests.telnyx.filter((r) => r.path === `/v2/number_orders/${telnyxOrderId}`)).toHaveLength(1);
  });

  it('asks the carrier with no transaction open: while the carrier is slow, no session waits in a transaction and the number is not locked', async () => {
    await setOrderCompletionDelay(sim, 60_000);
    const id = await provisioningNumber(HOUR);
    await orderNumber.handle({ numberId: id }, job('order-number', 'order-number.6'));
    const { telnyxOrderId } = await number(id);
    await sim.post('/_sim/faults', { provider: 'telnyx', method: 'GET', path: `/v2/number_orders/${telnyxOrderId}`, action: 'delay', delayMs: 1500 });

    const running = run();
    await new Promise((r) => setTimeout(r, 500)); // the sweep is waiting for the carrier's answer
    expect(await transactionsLeftOpen(db)).toBe(0);
    const locked = db.transaction().execute((tx) => tx.selectFrom('phoneNumbers').select('id').where('id', '=', id).forUpdate().noWait().execute());
    await expect(locked).resolves.toEqual([{ id }]);

    expect((await running).acted).toEqual([{ numberId: id, kind: 'provisioning_stalled', action: `order ${telnyxOrderId} still pending at the carrier` }]);
  });

  it('orders again a number whose order-number job was lost after the carrier took the order: the carrier fills one order', async () => {
    const id = await provisioningNumber(HOUR);
    const young = await provisioningNumber(60_000);
    // The job placed the order and died before storing its id.
    const [available] = await carrier.searchAvailableNumbers({ country: 'US', limit: 1 });
    await carrier.orderNumber({ phoneNumber: available.phoneNumber, customerReference: id }, `order-${id}`);

    const first = await run();
    expect(first.acted).toEqual([{ numberId: id, kind: 'provisioning_stalled', action: 'no carrier order: order-number again' }]);
    expect(await jobsFor(id)).toEqual(['order-number']);
    expect(await jobsFor(young)).toEqual([]);
    await expect(run()).resolves.toEqual({ acted: [], failed: [] });
    expect(await jobsFor(id)).toEqual(['order-number']);

    // The job the outbox publishes: it finds the order by its customer reference, buys nothing more.
    await expect(orderNumber.handle({ numberId: id }, job('order-number', 'order-number.3'))).resolves.toMatchObject({ outcome: 'ordered', applied: true });
    expect((await simState()).telnyx.orders.filter((o) => o.customerReference === id)).toHaveLength(1);
    expect(await number(id)).toMatchObject({ status: 'verifying', phoneNumber: available.phoneNumber });
  });

  it('registers again a verifying number whose register-whatsapp job was lost, once', async () => {
    const { id } = await verifyingNumber(HOUR);
    expect((await run()).acted).toEqual([{ numberId: id, kind: 'registration_not_started', action: 'no WhatsApp code requested: register-whatsapp again' }]);
    await expect(run()).resolves.toEqual({ acted: [], failed: [] });
    expect(await jobsFor(id)).toEqual(['register-whatsapp']);
  });

  it('requests the code again when its SMS was lost, counting the requests; the new code activates the number', async () => {
    const { id, phone } = await verifyingNumber(HOUR);
    await sim.post('/_sim/meta/next-code-sms', { drop: true });
    await expect(registerWhatsApp.handle({ numberId: id }, job('register-whatsapp', 'register-whatsapp.5'))).resolves.toMatchObject({ codeRequested: true });
    const requested = await number(id);
    expect(requested).toMatchObject({ metaVerificationStatus: 'NOT_VERIFIED', whatsappCodeRequests: 1 });
    const requestCodes = async () => (await simState()).requests.meta.filter((r) => r.path.endsWith(`/${requested.metaPhoneNumberId}/request_code`)).length;

    // Not overdue yet: nothing.
    await expect(run()).resolves.toEqual({ acted: [], failed: [] });
    // The code was asked for an hour ago and never came.
    // updatedAt too, as every write of the row keeps it current.
    await db.updateTable('phoneNumbers').set({ whatsappCodeRequestedAt: new Date(Date.now() - HOUR), updatedAt: new Date() }).where('id', '=', id).execute();
    expect((await run()).acted).toEqual([{ numberId: id, kind: 'whatsapp_code_overdue', action: 'WhatsApp code requested again (2 of 3)' }]);
    expect(await requestCodes()).toBe(2);
    const again = await number(id);
    expect(again).toMatchObject({ status: 'verifying', whatsappCodeRequests: 2 });
    expect(again.whatsappCodeRequestedAt?.getTime()).toBeGreaterThan(Date.now() - 60_000);
    await expect(run()).resolves.toEqual({ acted: [], failed: [] });
    expect(await requestCodes()).toBe(2);

    // This SMS arrives: the number activates the usual way.
    const sms: WebhookEventRef<'telnyx'> = await capture.next('telnyx', (e) => {
      const to = e.payload.payload['to'] as { phone_number: string }[] | undefined;
      return e.eventType === 'message.received' && to?.some((r) => r.phone_number === phone) === true;
    });
    const received = await db.transaction().execute((tx) =>
      messages.handle(storedEvent(sms), { tx, cause: `webhook:telnyx:${sms.eventId}`, job: eventJob('process-telnyx-event.5') }),
    );
    expect(received).toMatchObject({ outcome: 'applied' });
    await runQueuedJobs(db, 'verify-whatsapp-code', bed.moduleRef.get(VerifyWhatsAppCodeHandler));
    expect(await number(id)).toMatchObject({ status: 'active', metaVerificationStatus: 'VERIFIED' });
    await expect(run()).resolves.toEqual({ acted: [], failed: [] });
  });

  it('ends a number whose code never came after the last request: released, never billed, the reason stored', async () => {
    const metaPhoneNumberId = `10${Date.now()}`;
    const { id } = await verifyingNumber(HOUR, {
      metaPhoneNumberId,
      metaVerificationStatus: 'NOT_VERIFIED',
      whatsappCodeRequests: 3,
      whatsappCodeRequestedAt: new Date(Date.now() - HOUR),
    });
    const metaCalls = (await simState()).requests.meta.length;

    expect((await run()).acted).toEqual([{ numberId: id, kind: 'whatsapp_code_overdue', action: `ended: ${WHATSAPP_CODE_NOT_RECEIVED} after 3 requests` }]);
    expect(await number(id)).toMatchObject({ status: 'releasing', failureReason: WHATSAPP_CODE_NOT_RECEIVED });
    const [failed] = await db.selectFrom('numberStatusHistory').selectAll().where('numberId', '=', id).execute();
    expect(failed).toMatchObject({ fromStatus: 'verifying', toStatus: 'releasing', event: 'provisioning_failed', applied: true, actor: 'system' });
    // Released at Meta and the carrier, and its paid-first slot taken out of the subscription.
    expect(await jobsFor(id)).toEqual(['release-number', 'sync-subscription-quantity']);
    expect((await simState()).requests.meta).toHaveLength(metaCalls);

    await expect(run()).resolves.toEqual({ acted: [], failed: [] });
    expect(await countOf(db.selectFrom('numberStatusHistory').where('numberId', '=', id))).toBe(1);
  });

  it('releases again a number whose release-number job was lost, once', async () => {
    const id = newId();
    await db
      .insertInto('phoneNumbers')
      .values({ id, accountId, profileId, country: 'US', status: 'releasing', monthlyCents: 300, createdAt: new Date(Date.now() - HOUR) })
      .execute();
    expect((await run()).acted).toEqual([{ numberId: id, kind: 'release_stalled', action: 'still releasing: release-number again' }]);
    await expect(run()).resolves.toEqual({ acted: [], failed: [] });
    expect(await jobsFor(id)).toEqual(['release-number']);
  });
});
