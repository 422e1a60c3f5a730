import { AppConfig } from '@numbers/config';
import type { WebhookEventRef } from '@numbers/contracts';
import { newId } from '@numbers/domain';
import type { JobContext } from '@numbers/messaging';
import { Database, NumberLifecycle, PersistenceModule, ProvisioningNumberRepository, RegulatoryCaseRepository } from '@numbers/persistence';
import { ProviderError, WHATSAPP_GATEWAY, type WhatsAppGateway } from '@numbers/providers';
import { createTestAccount, eventJob, startHandlerTestBed, storedEvent, type HandlerTestBed, type SimulatorProcess, type WebhookCapture } from '@numbers/test-support';
import { CARRIER_KYC_PROVIDERS } from './carrier-kyc-references';
import { setOrderCompletionDelay } from '../testing/carrier-orders';
import { runQueuedJobs } from '../testing/queued-jobs';
import { NumberOrderCompleteEventHandler } from './number-order-complete.event-handler';
import { MAX_CARRIER_ORDERS, NumberOrderSettlement, type OrderSettlement } from './number-order-settlement';
import { OrderNumberHandler } from './order-number.handler';
import { RegulatoryReview } from './regulatory-review';
import { MessageReceivedEventHandler } from './message-received.event-handler';
import { ProvisioningFailure } from './provisioning-failure';
import { RegisterWhatsAppHandler } from './register-whatsapp.handler';
import { twoStepPin } from './two-step-pin';
import { VerifyWhatsAppCodeHandler } from './verify-whatsapp-code.handler';
import { WhatsAppActivation } from './whatsapp-activation';
import { CarrierOrderPlacement } from './carrier-order-placement';

jest.setTimeout(60_000);

interface SimMetaNumber {
  id: string;
  phoneNumber: string;
  verifiedName: string;
  codeVerificationStatus: string;
  registered: boolean;
  pin: string | null;
  verification: { code: string; sms: string; failedAttempts: number } | null;
}
interface SimState {
  meta: { numbers: (SimMetaNumber & { wabaId: string | null })[] };
  telnyx: { numbers: { id: string; phoneNumber: string; status: string }[] };
  requests: { meta: { method: string; path: string; status: number }[] };
}

/**
 * Integration: WhatsApp registration (`register-whatsapp`), the activation code arriving as
 * the carrier's `message.received` and submitted to Meta by `verify-whatsapp-code`, against a real database of this file and the provider
 * simulator (Meta sends the code as an SMS to the number at the simulated carrier, which signs
 * and sends it to a stand-in for the gateway).
 */
describe('RegisterWhatsAppHandler, MessageReceivedEventHandler and VerifyWhatsAppCodeHandler', () => {
  let bed: HandlerTestBed<true>;
  let capture: WebhookCapture;
  let sim: SimulatorProcess;
  let config: AppConfig;
  let db: Database;
  let handler: RegisterWhatsAppHandler;
  let messages: MessageReceivedEventHandler;
  let verifications: VerifyWhatsAppCodeHandler;
  let accountId: string;
  let profileId: string;
  let seq = 0;

  beforeAll(async () => {
    bed = await startHandlerTestBed({
      imports: [PersistenceModule],
      providers: [
        ProvisioningFailure,
        RegisterWhatsAppHandler,
        WhatsAppActivation,
        MessageReceivedEventHandler,
        VerifyWhatsAppCodeHandler,
        ProvisioningNumberRepository,
        RegulatoryCaseRepository,
        RegulatoryReview,
        ...CARRIER_KYC_PROVIDERS,
        NumberOrderSettlement,
        CarrierOrderPlacement,
        OrderNumberHandler,
        NumberOrderCompleteEventHandler,
      ],
      captureWebhooks: true,
    });
    ({ sim, capture, config } = bed);
    db = bed.moduleRef.get(Database);
    handler = bed.moduleRef.get(RegisterWhatsAppHandler);
    messages = bed.moduleRef.get(MessageReceivedEventHandler);
    verifications = bed.moduleRef.get(VerifyWhatsAppCodeHandler);
    ({ accountId, profileId } = await createTestAccount(db, { name: 'Acme Plumbing' }));
  });

  afterAll(() => bed?.stop());

  afterEach(async () => {
    await sim.delete('/_sim/faults');
  });

  /** A number the carrier holds for us (so SMS to it arrive), now verifying. */
  async function verifyingNumber(): Promise<{ id: string; phone: string }> {
    seq++;
    const phone = `+1555030${String(seq).padStart(4, '0')}`;
    const telnyxNumberId = `42000000000000${String(seq).padStart(5, '0')}`;
    await sim.post('/_sim/telnyx/numbers', { id: telnyxNumberId, phoneNumber: phone });
    const id = newId();
    await db.insertInto('phoneNumbers').values({ id, accountId, profileId, phoneNumber: phone, country: 'US', status: 'verifying', paidFirst: true, monthlyCents: 300, telnyxNumberId }).execute();
    return { id, phone };
  }

  function storedNumber(id: string) {
    return db.selectFrom('phoneNumbers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }

  function ctx(jobId: string, attempt = 1): JobContext {
    return { jobId, name: 'register-whatsapp', queue: 'provisioning', attempt, maxAttempts: 10 };
  }

  /** The webhook event processed, then the code verification it queued. */
  async function receive(ref: WebhookEventRef<'telnyx'>) {
    const result = await db.transaction().execute((tx) => messages.handle(storedEvent(ref), { tx, cause: `webhook:telnyx:${ref.eventId}`, job: eventJob('process-telnyx-event.9') }));
    await runQueuedJobs(db, 'verify-whatsapp-code', verifications);
    return result;
  }

  /** The first SMS to `phone` (from `sender`, when given). */
  function smsTo(phone: string, sender?: string): Promise<WebhookEventRef<'telnyx'>> {
    return capture.next('telnyx', (e) => {
      const to = e.payload.payload['to'] as { phone_number: string }[] | undefined;
      const from = (e.payload.payload['from'] as { phone_number?: string } | undefined)?.phone_number;
      return e.eventType === 'message.received' && to?.some((r) => r.phone_number === phone) === true && (sender === undefined || from === sender);
    });
  }

  async function metaNumber(phone: string): Promise<SimMetaNumber | undefined> {
    return (await sim.get<SimState>('/_sim/state')).meta.numbers.find((n) => n.phoneNumber === phone);
  }

  describe('a registration that conflicts', () => {
    const OTHER_WABA = 'waba-of-another-business';

    /** The order-number jobs queued, run; a pending order settled by the carrier's completion. */
    async function orderQueued(id: string): Promise<void> {
      const results = (await runQueuedJobs(db, 'order-number', bed.moduleRef.get(OrderNumberHandler))) as OrderSettlement[];
      expect(results).toHaveLength(1);
      if (results[0].outcome !== 'pending') return;
      const { telnyxOrderId } = await storedNumber(id);
      const ref = await capture.next('telnyx', (e) => e.eventType === 'number_order.complete' && e.payload.payload['id'] === telnyxOrderId);
      const completion = bed.moduleRef.get(NumberOrderCompleteEventHandler);
      await db.transaction().execute((tx) => completion.handle(storedEvent(ref), { tx, cause: `webhook:telnyx:${ref.eventId}`, job: eventJob('process-telnyx-event.8') }));
    }

    it('gives back a number we picked that another WhatsApp account holds, orders another, and ends active once', async () => {
      await setOrderCompletionDelay(sim, 0);
      const id = newId();
      await db.insertInto('phoneNumbers').values({ id, accountId, profileId, country: 'US', status: 'provisioning', paidFirst: true, monthlyCents: 300 }).execute();
      await db.insertInto('outbox').values({ kind: 'job', name: 'order-number', payload: { numberId: id } }).execute();
      await orderQueued(id);
      const ordered = await storedNumber(id);
      expect(ordered).toMatchObject({ status: 'verifying', phoneNumberPicked: true, carrierOrders: 1 });
      const taken = ordered.phoneNumber as string;
      // A recycled number: still registered on WhatsApp by another business.
      await sim.post('/_sim/meta/numbers', { displayPhoneNumber: taken, wabaId: OTHER_WABA, registered: true });

      const [conflict] = await runQueuedJobs(db, 'register-whatsapp', handler);
      expect(conflict).toEqual({ codeRequested: false, reason: `${taken} is registered with another WhatsApp Business Account: given back, another number ordered` });
      const back = await storedNumber(id);
      expect(back).toMatchObject({ status: 'provisioning', phoneNumber: null, telnyxOrderId: null, telnyxNumberId: null, metaPhoneNumberId: null, givenBackPhoneNumbers: [taken] });
      let state = await sim.get<SimState>('/_sim/state');
      expect(state.telnyx.numbers.find((n) => n.phoneNumber === taken)).toMatchObject({ status: 'deleted' }); // given back at the carrier
      expect(state.meta.numbers.filter((n) => n.phoneNumber === taken)).toEqual([expect.objectContaining({ wabaId: OTHER_WABA, registered: true })]);

      // Another pick (never the one given back), then the usual way to active.
      await orderQueued(id);
      const reordered = await storedNumber(id);
      expect(reordered).toMatchObject({ status: 'verifying', carrierOrders: 2 });
      expect(reordered.phoneNumber).not.toBe(taken);
      const phone = reordered.phoneNumber as string;
      await expect(runQueuedJobs(db, 'register-whatsapp', handler)).resolves.toEqual([{ codeRequested: true, metaPhoneNumberId: expect.any(String) }]);
      await expect(receive(await smsTo(phone))).resolves.toMatchObject({ outcome: 'applied' });
      expect(await storedNumber(id)).toMatchObject({ status: 'active', phoneNumber: phone });
      const history = await db.selectFrom('numberStatusHistory').select(['event', 'applied']).where('numberId', '=', id).orderBy('id').execute();
      expect(history.filter((h) => h.applied).map((h) => h.event)).toEqual(['number_ordered', 'registration_conflicted', 'number_ordered', 'whatsapp_verified']);
      state = await sim.get<SimState>('/_sim/state');
      expect(state.meta.numbers.filter((n) => n.phoneNumber === taken)).toEqual([expect.objectContaining({ wabaId: OTHER_WABA, registered: true })]);
      expect(MAX_CARRIER_ORDERS).toBeGreaterThan(2);
    });

    it("ends a number the customer chose that another WhatsApp account holds, and leaves that account's registration alone", async () => {
      const { id, phone } = await verifyingNumber();
      await sim.post('/_sim/meta/numbers', { displayPhoneNumber: phone, wabaId: OTHER_WABA, registered: true });
      await expect(handler.handle({ numberId: id }, ctx('register-whatsapp.91'))).resolves.toEqual({ codeRequested: false, reason: `${phone} is registered with another WhatsApp Business Account` });
      expect(await storedNumber(id)).toMatchObject({ status: 'releasing', metaPhoneNumberId: null, failureReason: expect.stringContaining('another WhatsApp Business Account') });
      expect(await metaNumber(phone)).toMatchObject({ registered: true });
    });
  });

  it('adds the number at Meta and requests the code once; the code from the SMS activates it, once', async () => {
    const { id, phone } = await verifyingNumber();

    const first = await handler.handle({ numberId: id }, ctx('register-whatsapp.11'));
    const meta = await metaNumber(phone);
    expect(first).toEqual({ codeRequested: true, metaPhoneNumberId: meta?.id });
    expect(meta).toMatchObject({ verifiedName: 'Acme Plumbing', codeVerificationStatus: 'NOT_VERIFIED', registered: false });
    expect(await storedNumber(id)).toMatchObject({ metaPhoneNumberId: meta?.id, metaVerificationStatus: 'NOT_VERIFIED' });
    // Again (a retry or a second delivery): no second code.
    await expect(handler.handle({ numberId: id }, ctx('register-whatsapp.11'))).resolves.toEqual({ codeRequested: false, reason: 'code already requested' });
    const requestCodes = (await sim.get<SimState>('/_sim/state')).requests.meta.filter((r) => r.path.endsWith(`${meta?.id}/request_code`));
    expect(requestCodes).toHaveLength(1);

    // The SMS Meta sent reaches us as the carrier's message.received; its code is Meta's.
    const sms = await smsTo(phone);
    expect(sms.payload.payload['text']).toMatch(/^WhatsApp code \d{3}-\d{3}/);
    expect(String(sms.payload.payload['text']).replace('-', '')).toContain(meta?.verification?.code);
    await expect(receive(sms)).resolves.toMatchObject({ outcome: 'applied' });

    const active = await storedNumber(id);
    expect(active).toMatchObject({ status: 'active', metaVerificationStatus: 'VERIFIED' });
    expect(active.activatedAt).toBeInstanceOf(Date);
    const registered = await metaNumber(phone);
    expect(registered).toMatchObject({ codeVerificationStatus: 'VERIFIED', registered: true, pin: twoStepPin(config.twoStepPinKey, id) });
    expect(registered?.pin).toMatch(/^\d{6}$/);
    const starts = await db.selectFrom('outbox').selectAll().where('kind', '=', 'job').where('name', '=', 'start-billing').execute();
    expect(starts.map((s) => s.payload)).toContainEqual({ numberId: id });

    // The same SMS again: recorded, nothing asked of Meta.
    const metaCalls = (await sim.get<SimState>('/_sim/state')).requests.meta.length;
    await expect(receive(sms)).resolves.toEqual({ outcome: 'ignored', detail: `number ${id} is active` });
    expect((await sim.get<SimState>('/_sim/state')).requests.meta).toHaveLength(metaCalls);
    const history = await db.selectFrom('numberStatusHistory').selectAll().where('numberId', '=', id).where('event', '=', 'whatsapp_verified').orderBy('id').execute();
    expect(history.map((h) => [h.applied, h.actor])).toEqual([
      [true, 'telnyx'],
      [false, 'telnyx'],
    ]);
    await expect(handler.handle({ numberId: id }, ctx('register-whatsapp.12'))).resolves.toEqual({ codeRequested: false, reason: 'number is active' });
  });

  it("takes the code of an SMS that arrives before Meta's answer to the request", async () => {
    const { id, phone } = await verifyingNumber();
    // Meta sends the SMS, then its answer is slow to come back: the SMS is here first.
    await sim.post('/_sim/faults', { provider: 'meta', method: 'POST', path: '/graph/:version/:phoneNumberId/request_code', action: 'delay-answer', delayMs: 5_000 });
    let answered = false;
    const registration = handler.handle({ numberId: id }, ctx('register-whatsapp.61')).finally(() => (answered = true));
    const sms = await smsTo(phone);
    expect(answered).toBe(false);
    await expect(receive(sms)).resolves.toMatchObject({ outcome: 'applied' });
    expect(answered).toBe(false);
    expect(await storedNumber(id)).toMatchObject({ status: 'active', metaVerificationStatus: 'VERIFIED', whatsappCodeRequests: 1 });

    await expect(registration).resolves.toMatchObject({ codeRequested: true });
    const { metaPhoneNumberId } = await storedNumber(id);
    expect(await storedNumber(id)).toMatchObject({ status: 'active', metaVerificationStatus: 'VERIFIED' });
    const { meta } = (await sim.get<SimState>('/_sim/state')).requests;
    expect(meta.filter((r) => r.path.endsWith(`${metaPhoneNumberId}/request_code`))).toHaveLength(1);
  });

  it('requests one code when two runs read the number at once', async () => {
    const { id } = await verifyingNumber();
    const stored = await storedNumber(id);
    const first = await handler.handle({ numberId: id }, ctx('register-whatsapp.71'));
    const metaPhoneNumberId = (await storedNumber(id)).metaPhoneNumberId ?? '';
    expect(first).toEqual({ codeRequested: true, metaPhoneNumberId });
    // The other run read the number before the first claimed the request.
    const activation = bed.moduleRef.get(WhatsAppActivation);
    await expect(activation.requestCode({ ...stored, metaPhoneNumberId }, { cause: 'test', actor: 'system' })).resolves.toEqual({ status: 'requested_elsewhere' });
    const requestCodes = (await sim.get<SimState>('/_sim/state')).requests.meta.filter((r) => r.path.endsWith(`${metaPhoneNumberId}/request_code`));
    expect(requestCodes).toHaveLength(1);
  });

  it('a retried activation (the first died after Meta verified and registered it) verifies and registers again with the same PIN', async () => {
    const { id, phone } = await verifyingNumber();
    await handler.handle({ numberId: id }, ctx('register-whatsapp.21'));
    const sms = await smsTo(phone);
    await expect(db.transaction().execute((tx) => messages.handle(storedEvent(sms), { tx, cause: `webhook:telnyx:${sms.eventId}`, job: eventJob('process-telnyx-event.21') }))).resolves.toMatchObject({
      outcome: 'applied',
    });
    // The Meta calls were made outside any transaction; the worker dies before recording them.
    const lifecycle = bed.moduleRef.get(NumberLifecycle);
    const dies = jest.spyOn(lifecycle, 'apply').mockRejectedValueOnce(new Error('worker died before recording'));
    await expect(runQueuedJobs(db, 'verify-whatsapp-code', verifications)).rejects.toThrow('worker died before recording');
    dies.mockRestore();
    expect(await storedNumber(id)).toMatchObject({ status: 'verifying' });
    expect(await metaNumber(phone)).toMatchObject({ registered: true, codeVerificationStatus: 'VERIFIED' });

    // The job's retry.
    const queued = await db.selectFrom('outbox').select(['id', 'payload']).where('name', '=', 'verify-whatsapp-code').execute();
    const retried = queued.filter((j) => (j.payload as { numberId: string }).numberId === id).map((j) => j.id);
    await db.updateTable('outbox').set({ publishedAt: null }).where('id', 'in', retried).execute();
    await expect(runQueuedJobs(db, 'verify-whatsapp-code', verifications, 2)).resolves.toEqual([{ applied: true }]);
    expect(await storedNumber(id)).toMatchObject({ status: 'active' });
    expect(await metaNumber(phone)).toMatchObject({ registered: true, pin: twoStepPin(config.twoStepPinKey, id) });
  });

  it('a code Meta refuses (a newer one was requested) ends its job unapplied; the newer code activates the number', async () => {
    // Two runs of register-whatsapp at once (a job thought stalled, run again): two codes requested.
    const { id, phone } = await verifyingNumber();
    await handler.handle({ numberId: id }, ctx('register-whatsapp.41'));
    const firstCode = (await metaNumber(phone))?.verification?.code;
    const stored = await storedNumber(id);
    await bed.moduleRef.get(WhatsAppActivation).requestCode({ ...stored, metaPhoneNumberId: stored.metaPhoneNumberId ?? '' }, { cause: 'test', actor: 'system' });
    const secondCode = (await metaNumber(phone))?.verification?.code;
    expect(secondCode).not.toBe(firstCode);

    const carrying = (code: string | undefined) => capture.next('telnyx', (e) => e.eventType === 'message.received' && String(e.payload.payload['text']).replace('-', '').includes(String(code)));
    await receive(await carrying(firstCode));
    const refused = await db.selectFrom('numberStatusHistory').select('id').where('numberId', '=', id).where('event', '=', 'whatsapp_verified').execute();
    expect(refused).toEqual([]);
    expect(await storedNumber(id)).toMatchObject({ status: 'verifying' });

    await receive(await carrying(secondCode));
    expect(await storedNumber(id)).toMatchObject({ status: 'active', metaVerificationStatus: 'VERIFIED' });
  });

  it('lets a Meta failure throw to be retried; the retry requests the code', async () => {
    const { id, phone } = await verifyingNumber();
    await sim.post('/_sim/faults', { provider: 'meta', method: 'POST', path: '/graph/:version/:phoneNumberId/request_code', action: 'fail', status: 503, times: 1 });
    const failure = handler.handle({ numberId: id }, ctx('register-whatsapp.31'));
    await expect(failure).rejects.toBeInstanceOf(ProviderError);
    await expect(failure).rejects.toMatchObject({ retryable: true });
    const stored = await storedNumber(id);
    expect(stored).toMatchObject({ status: 'verifying', metaVerificationStatus: null });
    expect(stored.metaPhoneNumberId).not.toBeNull();

    await expect(handler.handle({ numberId: id }, ctx('register-whatsapp.31', 2))).resolves.toMatchObject({ codeRequested: true, metaPhoneNumberId: stored.metaPhoneNumberId });
    await expect(receive(await smsTo(phone))).resolves.toMatchObject({ outcome: 'applied' });
  });

  it('registers at once a number Meta says is verified; a registration that fails takes the request back, and the retry completes it', async () => {
    const { id, phone } = await verifyingNumber();
    await sim.post('/_sim/meta/numbers', { displayPhoneNumber: phone, wabaId: config.meta.wabaId, codeVerificationStatus: 'VERIFIED', registered: false });
    await sim.post('/_sim/faults', { provider: 'meta', method: 'POST', path: '/graph/:version/:phoneNumberId/register', action: 'fail', status: 503 });
    await expect(handler.handle({ numberId: id }, ctx('register-whatsapp.35'))).rejects.toBeInstanceOf(ProviderError);
    expect(await storedNumber(id)).toMatchObject({ status: 'verifying', metaVerificationStatus: null, whatsappCodeRequests: 0 });

    await expect(handler.handle({ numberId: id }, ctx('register-whatsapp.35', 2))).resolves.toEqual({ codeRequested: false, reason: 'already verified', activated: true });
    expect(await storedNumber(id)).toMatchObject({ status: 'active', metaVerificationStatus: 'VERIFIED' });
    expect(await metaNumber(phone)).toMatchObject({ registered: true });
  });

  it("registers a phone number an earlier number of ours held: Meta kept that number's PIN, which is replaced", async () => {
    const { id, phone } = await verifyingNumber();
    const earlier = await sim.post<{ id: string }>('/_sim/meta/numbers', { displayPhoneNumber: phone, wabaId: config.meta.wabaId, codeVerificationStatus: 'VERIFIED', registered: false });
    const whatsapp = bed.moduleRef.get<WhatsAppGateway>(WHATSAPP_GATEWAY);
    await whatsapp.register(earlier.id, twoStepPin(config.twoStepPinKey, newId()));
    await whatsapp.deregister(earlier.id);

    await expect(handler.handle({ numberId: id }, ctx('register-whatsapp.37'))).resolves.toEqual({ codeRequested: false, reason: 'already verified', activated: true });
    expect(await storedNumber(id)).toMatchObject({ status: 'active', metaPhoneNumberId: earlier.id });
    expect(await metaNumber(phone)).toMatchObject({ registered: true, pin: twoStepPin(config.twoStepPinKey, id) });
  });

  it('ends the number when Meta still fails on the last attempt', async () => {
    const { id } = await verifyingNumber();
    await sim.post('/_sim/faults', { provider: 'meta', method: 'POST', path: '/graph/:version/:wabaId/phone_numbers', action: 'fail', status: 503, times: 1 });
    await expect(handler.handle({ numberId: id }, ctx('register-whatsapp.41', 10))).resolves.toMatchObject({ codeRequested: false });
    const stored = await storedNumber(id);
    expect(stored.status).toBe('releasing');
    expect(stored.failureReason).toMatch(/^WhatsApp registration failed: meta phoneNumbers.create failed: 503/);
  });

  it('ignores messages that carry no code, and messages to numbers that are not ours', async () => {
    const { phone } = await verifyingNumber();
    await sim.post('/_sim/telnyx/messages/inbound', { to: phone, from: '+15557654321', text: 'Are you open on Sunday?' });
    await expect(receive(await smsTo(phone))).resolves.toEqual({ outcome: 'ignored', detail: 'not a WhatsApp activation code' });
    const stranger: WebhookEventRef<'telnyx'> = {
      provider: 'telnyx',
      eventId: 'b0b1c2d3-0000-4000-8000-000000000002',
      eventType: 'message.received',
      payload: {
        id: 'b0b1c2d3-0000-4000-8000-000000000002',
        event_type: 'message.received',
        payload: { from: { phone_number: config.meta.codeSmsSenders[0] }, to: [{ phone_number: '+15559990000' }], text: 'WhatsApp code 123-456' },
      },
    };
    await expect(receive(stranger)).resolves.toEqual({ outcome: 'ignored', detail: '+15559990000 is not one of our numbers' });
  });

  it("submits no spoofed code: one from another sender, or to a number that asked for none, is ignored and Meta is not asked", async () => {
    const verifyCalls = async () => (await sim.get<SimState>('/_sim/state')).requests.meta.filter((r) => r.path.endsWith('/verify_code')).length;
    const queuedVerifications = async () => (await db.selectFrom('outbox').select('id').where('name', '=', 'verify-whatsapp-code').execute()).length;
    const { id, phone } = await verifyingNumber();
    await handler.handle({ numberId: id }, ctx('register-whatsapp.51'));
    const fromMeta = await smsTo(phone);
    expect(fromMeta.payload.payload['from']).toMatchObject({ phone_number: config.meta.codeSmsSenders[0] });
    const [verifiesBefore, queuedBefore] = [await verifyCalls(), await queuedVerifications()];

    // Anyone can text the number: a code from another sender is not Meta's.
    await sim.post('/_sim/telnyx/messages/inbound', { to: phone, from: '+15557654321', text: 'WhatsApp code 111-222' });
    await expect(receive(await smsTo(phone, '+15557654321'))).resolves.toEqual({ outcome: 'ignored', detail: 'a WhatsApp code from +15557654321, not a sender Meta uses' });
    // Meta's sender, to a number that requested no code (verifying, registration not started).
    const idle = await verifyingNumber();
    await sim.post('/_sim/telnyx/messages/inbound', { to: idle.phone, from: config.meta.codeSmsSenders[0], text: 'WhatsApp code 333-444' });
    await expect(receive(await smsTo(idle.phone))).resolves.toEqual({ outcome: 'ignored', detail: `number ${idle.id} has no WhatsApp code requested` });
    // The job checks again: a code reaches Meta only while one is requested.
    await expect(verifications.handle({ numberId: idle.id, code: '333444', cause: 'test' }, { ...ctx('verify-whatsapp-code.52'), name: 'verify-whatsapp-code' })).resolves.toEqual({
      applied: false,
      reason: 'no WhatsApp code requested',
    });
    expect(await verifyCalls()).toBe(verifiesBefore);
    expect(await queuedVerifications()).toBe(queuedBefore);
    expect(await metaNumber(phone)).toMatchObject({ codeVerificationStatus: 'NOT_VERIFIED', verification: { failedAttempts: 0 } });
    expect(await storedNumber(idle.id)).toMatchObject({ status: 'verifying', metaVerificationStatus: null });

    // Meta's own SMS still activates the number.
    await expect(receive(fromMeta)).resolves.toMatchObject({ outcome: 'applied' });
    expect(await storedNumber(id)).toMatchObject({ status: 'active' });
  });
});
