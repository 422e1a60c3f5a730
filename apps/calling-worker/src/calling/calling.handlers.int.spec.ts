import { AppConfig } from '@numbers/config';
import type { WebhookEventRef } from '@numbers/contracts';
import { callClientState, newId } from '@numbers/domain';
import type { JobContext, StoredWebhookEvent } from '@numbers/messaging';
import { CallingSettingsRepository, CallPermissionRepository, CallRepository, Database, PersistenceModule, SipCredentialSealer } from '@numbers/persistence';
import { WHATSAPP_GATEWAY, type WhatsAppGateway } from '@numbers/providers';
import { sql } from 'kysely';
import { eventJob, startHandlerTestBed, storedEvent, type HandlerTestBed, type SimulatorProcess, type WebhookCapture } from '@numbers/test-support';
import { AnswerInboundCallHandler } from './answer-inbound-call.handler';
import { MetaMessagesEventHandler } from './meta-messages.event-handler';
import { PlaceCallHandler } from './place-call.handler';
import { SendCallPermissionRequestHandler } from './send-call-permission-request.handler';
import { SyncWhatsAppCallingHandler } from './sync-whatsapp-calling.handler';
import { TelnyxCallEventHandler } from './telnyx-call.event-handler';

jest.setTimeout(90_000);

interface SimCall {
  callControlId: string;
  commands: { name: string; commandId: string | null }[];
  bridgedWith: string | null;
  from: string;
  to: string;
  sipAuthUsername: string | null;
  sipTransportProtocol: string | null;
  clientState: string | null;
  rejectedBecause: string | null;
  state: string;
  hangupCause: string | null;
}
interface SimCalling {
  settings: { numberId: string; status: string; sip: { status: string; servers: { hostname: string; port: number }[] }; sipPassword: string | null }[];
  messages: { id: string; numberId: string; to: string; interactiveType: string | null; bodyText: string | null }[];
}
interface SimTelnyxNumber {
  id: string;
  connectionId: string | null;
}

/**
 * Integration: the calling worker's jobs and webhook handlers against a database of this file
 * and the built provider simulator (Meta's calling settings, consumers and prompts; Telnyx's call
 * dialing and call webhooks), whose signed webhooks a stand-in for the gateway captures.
 */
/** A SIP key a rotation retired: still configured (SIP_CREDENTIALS_OLD_KEYS), so what it sealed opens. */
const RETIRED_SIP_KEY = Buffer.alloc(32, 77).toString('base64');

describe('the calling worker against the simulator', () => {
  let bed: HandlerTestBed<true>;
  let capture: WebhookCapture;
  let sim: SimulatorProcess;
  let config: AppConfig;
  let db: Database;
  let sync: SyncWhatsAppCallingHandler;
  let prompts: SendCallPermissionRequestHandler;
  let dial: PlaceCallHandler;
  let metaMessages: MetaMessagesEventHandler;
  let callEvents: TelnyxCallEventHandler;
  let answer: AnswerInboundCallHandler;
  let settings: CallingSettingsRepository;
  let whatsapp: WhatsAppGateway;
  let accountId: string;
  let profileId: string;
  let seq = 0;

  beforeAll(async () => {
    bed = await startHandlerTestBed({
      imports: [PersistenceModule],
      providers: [
        CallRepository,
        CallPermissionRepository,
        CallingSettingsRepository,
        SipCredentialSealer,
        SyncWhatsAppCallingHandler,
        SendCallPermissionRequestHandler,
        PlaceCallHandler,
        AnswerInboundCallHandler,
        MetaMessagesEventHandler,
        TelnyxCallEventHandler,
      ],
      captureWebhooks: true,
      env: { SIP_CREDENTIALS_OLD_KEYS: RETIRED_SIP_KEY },
    });
    ({ sim, capture, config } = bed);
    db = bed.moduleRef.get(Database);
    sync = bed.moduleRef.get(SyncWhatsAppCallingHandler);
    prompts = bed.moduleRef.get(SendCallPermissionRequestHandler);
    dial = bed.moduleRef.get(PlaceCallHandler);
    metaMessages = bed.moduleRef.get(MetaMessagesEventHandler);
    callEvents = bed.moduleRef.get(TelnyxCallEventHandler);
    answer = bed.moduleRef.get(AnswerInboundCallHandler);
    settings = bed.moduleRef.get(CallingSettingsRepository);
    whatsapp = bed.moduleRef.get<WhatsAppGateway>(WHATSAPP_GATEWAY);
    [accountId, profileId] = [newId(), newId()];
    await db.insertInto('accounts').values({ id: accountId, name: 'Acme Plumbing', planCode: 'scale' }).execute();
    await db.insertInto('profiles').values({ id: profileId, accountId, name: 'main' }).execute();
  });

  afterAll(() => bed?.stop());

  afterEach(async () => {
    await sim.delete('/_sim/faults');
  });

  const job = (name: JobContext['name'], jobId: string, attempt = 1): JobContext => ({ jobId, name, queue: 'calling', attempt, maxAttempts: 10 });
  const simCalling = () => sim.get<SimCalling>('/_sim/meta/calling');
  const simCalls = async () => (await sim.get<{ calls: SimCall[] }>('/_sim/telnyx/calls')).calls;
  const number = (id: string) => db.selectFrom('phoneNumbers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const call = (id: string) => db.selectFrom('calls').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const prompt = (id: string) => db.selectFrom('callPermissionPrompts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const queuedPrompt = (values: { id: string; numberId: string; consumer: string; bodyText?: string }) =>
    db.insertInto('callPermissionPrompts').values({ ...values, status: 'queued' }).execute();

  /** An active number held at the carrier and registered at Meta; the customer asked for calling. */
  async function activeNumber(): Promise<{ id: string; phone: string; metaId: string; telnyxId: string }> {
    seq++;
    const phone = `+1555040${String(seq).padStart(4, '0')}`;
    const metaId = `1066000000${String(seq).padStart(5, '0')}`;
    const telnyxId = `43000000000000${String(seq).padStart(5, '0')}`;
    await sim.post('/_sim/telnyx/numbers', { id: telnyxId, phoneNumber: phone, connectionId: 'default-voice' });
    await sim.post('/_sim/meta/numbers', { id: metaId, displayPhoneNumber: phone });
    const id = newId();
    await db
      .insertInto('phoneNumbers')
      .values({ id, accountId, profileId, phoneNumber: phone, country: 'US', status: 'active', monthlyCents: 300, telnyxNumberId: telnyxId, metaPhoneNumberId: metaId })
      .execute();
    return { id, phone, metaId, telnyxId };
  }

  async function enabledNumber() {
    const n = await activeNumber();
    await settings.request(n.id, true, { callingForwardTo: 'tel:+14155550199' });
    await expect(sync.handle({ numberId: n.id }, job('sync-whatsapp-calling', `sync-whatsapp-calling.${seq}`))).resolves.toEqual({ status: 'enabled' });
    return n;
  }

  function handleMeta(ref: WebhookEventRef<'meta'>) {
    return db.transaction().execute((tx) => metaMessages.handle(storedEvent(ref) as StoredWebhookEvent<'meta'>, { tx, cause: `webhook:meta:${ref.eventId}`, job: eventJob('process-meta-event.1') }));
  }

  function handleCall(ref: WebhookEventRef<'telnyx'>) {
    return db.transaction().execute((tx) => callEvents.handle(storedEvent(ref) as StoredWebhookEvent<'telnyx'>, { tx, cause: `webhook:telnyx:${ref.eventId}`, job: eventJob('process-telnyx-call-event.1') }));
  }

  /** A consumer writes to the number: Meta's `messages` webhook, handled. */
  async function consumerWrites(business: string, consumer: string) {
    const { messageId } = await sim.post<{ messageId: string }>('/_sim/meta/consumers/messages', { to: business, from: consumer, text: 'Hello, can you call me?' });
    const ref = await capture.next('meta', (e) => e.eventId === `message:${messageId}`);
    await expect(handleMeta(ref)).resolves.toMatchObject({ outcome: 'applied' });
    return ref;
  }

  /** Every call.* webhook of a carrier call, once the call hung up. */
  async function callWebhooks(callControlId: string): Promise<WebhookEventRef<'telnyx'>[]> {
    await capture.next('telnyx', (e) => e.eventType === 'call.hangup' && e.payload.payload['call_control_id'] === callControlId);
    return capture.events('telnyx').filter((e) => e.payload.payload['call_control_id'] === callControlId);
  }

  async function permittedCall(n: { id: string; phone: string }, consumer: string) {
    await consumerWrites(n.phone, consumer);
    const promptId = newId();
    await queuedPrompt({ id: promptId, numberId: n.id, consumer });
    await sim.post('/_sim/meta/consumers/permission-reply', { consumer, business: n.phone, reply: 'allow_temporary' });
    await prompts.handle({ promptId }, job('send-call-permission-request', `send-call-permission-request.${promptId}`));
    const reply = await capture.next('meta', (e) => JSON.stringify(e.payload.value).includes('call_permission_reply') && JSON.stringify(e.payload.value).includes(consumer.slice(1)));
    await handleMeta(reply);
  }

  async function dialingCall(n: { id: string; phone: string }, consumer: string): Promise<string> {
    const id = newId();
    await db.insertInto('calls').values({ id, accountId, numberId: n.id, direction: 'outbound', status: 'dialing', to: consumer, fromNumber: n.phone }).execute();
    return id;
  }

  describe('sync-whatsapp-calling', () => {
    it("turns calling on at Meta (SIP to the carrier over TLS) and at the carrier, and seals Meta's SIP password", async () => {
      const n = await enabledNumber();
      const stored = await number(n.id);
      const meta = (await simCalling()).settings.find((s) => s.numberId === n.metaId);
      expect(meta).toMatchObject({ status: 'ENABLED', sip: { status: 'ENABLED', servers: [{ hostname: config.calling.sipHostname, port: 5061 }] } });
      expect(meta?.sipPassword).toEqual(expect.any(String));
      expect(stored).toMatchObject({ callingEnabled: true, callingStatus: 'enabled', callingDetail: null, sipUsername: n.phone.slice(1) });
      expect(stored.sipPasswordSealed).not.toContain(meta?.sipPassword);
      expect(bed.moduleRef.get(SipCredentialSealer).open(stored.sipPasswordSealed ?? '', n.id)).toBe(meta?.sipPassword);
      // Sealed for this number: it does not open as another's.
      expect(() => bed.moduleRef.get(SipCredentialSealer).open(stored.sipPasswordSealed ?? '', newId())).toThrow();
      const carrier = (await sim.get<{ telnyx: { numbers: SimTelnyxNumber[] } }>('/_sim/state')).telnyx.numbers.find((t) => t.id === n.telnyxId);
      expect(carrier?.connectionId).toBe(config.calling.callControlAppId);

      // Again (a second delivery): nothing left to do.
      await expect(sync.handle({ numberId: n.id }, job('sync-whatsapp-calling', 'sync-whatsapp-calling.again'))).resolves.toEqual({ status: 'unchanged', detail: 'calling is enabled' });
    });

    it('turns it off at both, and drops the credentials', async () => {
      const n = await enabledNumber();
      await settings.request(n.id, false, {});
      expect(await number(n.id)).toMatchObject({ callingEnabled: false, callingStatus: 'disabling' });
      await expect(sync.handle({ numberId: n.id }, job('sync-whatsapp-calling', 'sync-whatsapp-calling.off'))).resolves.toEqual({ status: 'disabled' });
      expect(await number(n.id)).toMatchObject({ callingStatus: 'disabled', sipUsername: null, sipPasswordSealed: null });
      expect((await simCalling()).settings.find((s) => s.numberId === n.metaId)).toMatchObject({ status: 'DISABLED', sip: { status: 'DISABLED' } });
      const carrier = (await sim.get<{ telnyx: { numbers: SimTelnyxNumber[] } }>('/_sim/state')).telnyx.numbers.find((t) => t.id === n.telnyxId);
      expect(carrier?.connectionId).toBe(config.telnyx.connectionId);
    });

    it('acts on the newest wish when the customer changes their mind during a run', async () => {
      const n = await activeNumber();
      await settings.request(n.id, true, {});
      const { callingGeneration } = await number(n.id);
      // The customer turns it off while an enable job is under way: that job's result is not recorded.
      await settings.request(n.id, false, {});
      await expect(settings.settle(n.id, callingGeneration, { callingStatus: 'enabled', callingDetail: null })).resolves.toBe(false);
      await expect(sync.handle({ numberId: n.id }, job('sync-whatsapp-calling', 'sync-whatsapp-calling.mind'))).resolves.toEqual({ status: 'disabled' });
    });

    it('lets a 503 be retried, and leaves a number Meta refuses failed, with the reason', async () => {
      const n = await activeNumber();
      await settings.request(n.id, true, {});
      await sim.post('/_sim/faults', { provider: 'meta', method: 'POST', path: '/graph/:version/:phoneNumberId/settings', action: 'fail', status: 503, times: 1 });
      await expect(sync.handle({ numberId: n.id }, job('sync-whatsapp-calling', 'sync-whatsapp-calling.503'))).rejects.toMatchObject({ retryable: true });
      expect(await number(n.id)).toMatchObject({ callingStatus: 'enabling' });
      // Meta no longer knows the number: a permanent refusal.
      await db.updateTable('phoneNumbers').set({ metaPhoneNumberId: '999000999000999' }).where('id', '=', n.id).execute();
      await expect(sync.handle({ numberId: n.id }, job('sync-whatsapp-calling', 'sync-whatsapp-calling.400', 2))).resolves.toMatchObject({ status: 'failed' });
      expect(await number(n.id)).toMatchObject({ callingStatus: 'failed', callingDetail: expect.stringContaining('meta settings.update failed: 400 100.33') });
    });
  });

  describe('consent', () => {
    it("opens the window when a consumer writes; the same message twice changes nothing", async () => {
      const n = await enabledNumber();
      const ref = await consumerWrites(n.phone, '+447700900101');
      const first = await bed.moduleRef.get(CallPermissionRepository).find(n.id, '+447700900101');
      expect(first).toMatchObject({ status: 'no_permission', windowOpenedAt: expect.any(Date) });
      await expect(handleMeta(ref)).resolves.toMatchObject({ outcome: 'applied' });
      expect(await bed.moduleRef.get(CallPermissionRepository).find(n.id, '+447700900101')).toEqual(first);
    });

    it("sends the prompt with its body text, and the consumer's answer grants permission, as Meta's endpoint says", async () => {
      const n = await enabledNumber();
      const consumer = '+447700900102';
      await consumerWrites(n.phone, consumer);
      const promptId = newId();
      await queuedPrompt({ id: promptId, numberId: n.id, consumer, bodyText: 'May we call you about your order?' });
      const sent = await prompts.handle({ promptId }, job('send-call-permission-request', 'send-call-permission-request.1'));
      expect(sent).toEqual({ sent: true, messageId: expect.stringMatching(/^wamid\./) });
      expect((await simCalling()).messages.find((m) => m.numberId === n.metaId && m.to === consumer.slice(1))).toMatchObject({
        interactiveType: 'call_permission_request',
        bodyText: 'May we call you about your order?',
      });
      // Sent already: a second run sends nothing.
      await expect(prompts.handle({ promptId }, job('send-call-permission-request', 'send-call-permission-request.1'))).resolves.toEqual({ sent: false, reason: 'prompt is sent already' });

      await sim.post('/_sim/meta/consumers/permission-reply', { consumer, reply: 'allow_permanent' });
      const reply = await capture.next('meta', (e) => JSON.stringify(e.payload.value).includes('call_permission_reply') && JSON.stringify(e.payload.value).includes(consumer.slice(1)));
      await expect(handleMeta(reply)).resolves.toEqual({ outcome: 'applied', detail: `${consumer}: permission permanent` });
      expect(await bed.moduleRef.get(CallPermissionRepository).find(n.id, consumer)).toMatchObject({ status: 'permanent', expiresAt: null });
      await expect(whatsapp.getCallPermissions(n.metaId, consumer)).resolves.toMatchObject({ permission: { status: 'permanent' } });
    });

    it("does not send a prompt again when Meta took it but its answer was never recorded: the next run asks Meta's counts", async () => {
      const n = await enabledNumber();
      const consumer = '+447700900104';
      await consumerWrites(n.phone, consumer);
      const promptId = newId();
      await queuedPrompt({ id: promptId, numberId: n.id, consumer });
      const sentTo = async () => (await simCalling()).messages.filter((m) => m.numberId === n.metaId && m.to === consumer.slice(1));
      // The database fails the write of Meta's answer, as when the worker dies right after Meta answered.
      await sql`CREATE FUNCTION lose_prompt_result() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'connection lost'; END $$`.execute(db);
      await sql`CREATE TRIGGER lose_prompt_result BEFORE UPDATE ON call_permission_prompts FOR EACH ROW WHEN (NEW.status = 'sent') EXECUTE FUNCTION lose_prompt_result()`.execute(db);
      try {
        await expect(prompts.handle({ promptId }, job('send-call-permission-request', `send-call-permission-request.${promptId}`))).rejects.toThrow(/connection lost/);
      } finally {
        await sql`DROP TRIGGER lose_prompt_result ON call_permission_prompts`.execute(db);
        await sql`DROP FUNCTION lose_prompt_result`.execute(db);
      }
      expect(await sentTo()).toHaveLength(1);
      expect(await prompt(promptId)).toMatchObject({ status: 'queued', sendingAt: expect.any(Date) });

      await expect(prompts.handle({ promptId }, job('send-call-permission-request', `send-call-permission-request.${promptId}`, 2))).resolves.toEqual({ sent: true, messageId: null });
      expect(await prompt(promptId)).toMatchObject({ status: 'sent', metaMessageId: null });
      expect(await sentTo()).toHaveLength(1);
    });

    it('sends a prompt whose earlier run recorded its intent but never reached Meta', async () => {
      const n = await enabledNumber();
      const consumer = '+447700900105';
      await consumerWrites(n.phone, consumer);
      const promptId = newId();
      await queuedPrompt({ id: promptId, numberId: n.id, consumer });
      await sim.post('/_sim/faults', { provider: 'meta', method: 'POST', path: `/graph/${config.meta.apiVersion}/${n.metaId}/messages`, action: 'fail', status: 503, times: 1 });
      await expect(prompts.handle({ promptId }, job('send-call-permission-request', `send-call-permission-request.${promptId}`))).rejects.toMatchObject({ retryable: true });
      expect(await prompt(promptId)).toMatchObject({ status: 'queued', sendingAt: expect.any(Date) });

      await expect(prompts.handle({ promptId }, job('send-call-permission-request', `send-call-permission-request.${promptId}`, 2))).resolves.toEqual({ sent: true, messageId: expect.stringMatching(/^wamid\./) });
      expect((await simCalling()).messages.filter((m) => m.numberId === n.metaId && m.to === consumer.slice(1))).toHaveLength(1);
    });

    it('marks a prompt Meta refuses (no window at Meta) failed, so it does not count', async () => {
      const n = await enabledNumber();
      const promptId = newId();
      await queuedPrompt({ id: promptId, numberId: n.id, consumer: '+447700900103' });
      await expect(prompts.handle({ promptId }, job('send-call-permission-request', 'send-call-permission-request.2'))).resolves.toMatchObject({ sent: false });
      expect(await prompt(promptId)).toMatchObject({ status: 'failed', failureReason: expect.stringContaining('131047') });
      await expect(bed.moduleRef.get(CallPermissionRepository).promptTimes(n.id, '+447700900103', new Date(0))).resolves.toEqual([]);
    });
  });

  describe('calls', () => {
    it("dials Meta over TLS with the number's digest credentials; the call webhooks, shuffled and twice, end it once with its duration", async () => {
      const n = await enabledNumber();
      const consumer = '+447700900201';
      await permittedCall(n, consumer);
      await sim.post('/_sim/telnyx/calls/next', { outcome: 'answered', ringMs: 100, talkMs: 1200 });
      const callId = await dialingCall(n, consumer);

      const dialed = await dial.handle({ callId }, job('place-call', `place-call.${callId}`));
      expect(dialed).toEqual({ dialed: true, callControlId: expect.any(String) });
      const control = (dialed as { callControlId: string }).callControlId;
      expect((await simCalls()).find((c) => c.callControlId === control)).toMatchObject({
        from: n.phone,
        to: `sip:${consumer}@wa.meta.vc;transport=tls`,
        sipAuthUsername: n.phone.slice(1),
        sipTransportProtocol: 'TLS',
        rejectedBecause: null,
      });
      // A second run (the first crashed after dialing) dials nothing new.
      await db.updateTable('calls').set({ telnyxCallControlId: null }).where('id', '=', callId).execute();
      await expect(dial.handle({ callId }, job('place-call', `place-call.${callId}`, 2))).resolves.toEqual({ dialed: true, callControlId: control });
      expect((await simCalls()).filter((c) => c.clientState === callClientState(callId))).toHaveLength(1);

      const events = await callWebhooks(control);
      expect(events.map((e) => e.eventType)).toEqual(['call.initiated', 'call.answered', 'call.hangup']);
      const shuffled = [events[2], events[1], events[2], events[0], events[1], events[0]];
      const outcomes = [];
      for (const event of shuffled) outcomes.push((await handleCall(event)).outcome);
      // The hang-up ends it; the late answer gives it its duration; the rest is old news.
      expect(outcomes).toEqual(['applied', 'applied', 'ignored', 'ignored', 'ignored', 'ignored']);
      const ended = await call(callId);
      expect(ended).toMatchObject({ status: 'ended', hangupCause: 'normal_clearing', telnyxCallControlId: control });
      expect(ended.durationSeconds).toBe(1);
      // The connected call restarts Meta's prompt limits for this consumer.
      expect((await bed.moduleRef.get(CallPermissionRepository).find(n.id, consumer))?.lastConnectedCallAt).toEqual(ended.answeredAt);
    });

    it('dials with a password sealed under a retired key, and seals it again under the current key', async () => {
      const n = await enabledNumber();
      const sealer = bed.moduleRef.get(SipCredentialSealer);
      const password = sealer.open((await number(n.id)).sipPasswordSealed ?? '', n.id);
      const underRetired = new SipCredentialSealer(AppConfig.fromEnv({ ...sim.env, SIP_CREDENTIALS_KEY: RETIRED_SIP_KEY })).seal(password, n.id);
      await db.updateTable('phoneNumbers').set({ sipPasswordSealed: underRetired }).where('id', '=', n.id).execute();
      const consumer = '+447700900209';
      await permittedCall(n, consumer);
      const callId = await dialingCall(n, consumer);

      await expect(dial.handle({ callId }, job('place-call', `place-call.${callId}`))).resolves.toMatchObject({ dialed: true });
      const resealed = (await number(n.id)).sipPasswordSealed ?? '';
      expect([sealer.isStale(underRetired), sealer.isStale(resealed)]).toEqual([true, false]);
      expect(sealer.open(resealed, n.id)).toBe(password);
    });

    it('a busy consumer fails the call with the cause', async () => {
      const n = await enabledNumber();
      const consumer = '+447700900202';
      await permittedCall(n, consumer);
      await sim.post('/_sim/telnyx/calls/next', { outcome: 'busy' });
      const callId = await dialingCall(n, consumer);
      const { callControlId } = (await dial.handle({ callId }, job('place-call', `place-call.${callId}`))) as { callControlId: string };
      for (const event of await callWebhooks(callControlId)) await handleCall(event);
      expect(await call(callId)).toMatchObject({ status: 'failed', hangupCause: 'user_busy', durationSeconds: 0 });
    });

    it('Meta rejects a call the consumer never allowed (the simulator checks, as Meta does)', async () => {
      const n = await enabledNumber();
      const callId = await dialingCall(n, '+447700900203');
      const { callControlId } = (await dial.handle({ callId }, job('place-call', `place-call.${callId}`))) as { callControlId: string };
      expect((await simCalls()).find((c) => c.callControlId === callControlId)?.rejectedBecause).toMatch(/not allowed calls/);
      for (const event of await callWebhooks(callControlId)) await handleCall(event);
      expect(await call(callId)).toMatchObject({ status: 'failed', hangupCause: 'call_rejected' });
    });

    it('fails a call whose number can no longer call, without dialing', async () => {
      const n = await enabledNumber();
      await db.updateTable('phoneNumbers').set({ status: 'suspended' }).where('id', '=', n.id).execute();
      const callId = await dialingCall(n, '+447700900204');
      const before = (await simCalls()).length;
      await expect(dial.handle({ callId }, job('place-call', `place-call.${callId}`))).resolves.toMatchObject({ dialed: false });
      expect(await call(callId)).toMatchObject({ status: 'failed', hangupCause: 'calling_unavailable' });
      expect(await simCalls()).toHaveLength(before);
    });

    it('ignores call webhooks of calls that are not ours', async () => {
      const stranger: WebhookEventRef<'telnyx'> = {
        provider: 'telnyx',
        eventId: 'c0c1c2d3-0000-4000-8000-000000000001',
        eventType: 'call.answered',
        payload: { id: 'c0c1c2d3-0000-4000-8000-000000000001', event_type: 'call.answered', payload: { call_control_id: 'v3:nobody' } },
      };
      await expect(handleCall(stranger)).resolves.toEqual({ outcome: 'ignored', detail: 'call v3:nobody is not one of ours' });
    });
  });

  describe("a consumer's call", () => {
    const inboundCall = async (controlId: string) => db.selectFrom('calls').selectAll().where('telnyxCallControlId', '=', controlId).executeTakeFirstOrThrow();
    const customerEvents = async (callId: string) =>
      (await db.selectFrom('customerEvents').select(['type', 'payload']).execute()).filter((e) => (e.payload as { call?: { id?: string } }).call?.id === callId).map((e) => e.type);

    it('is recorded from its first event, answered and bridged once however often the job runs; its events twice and reordered end it once', async () => {
      const n = await enabledNumber();
      const consumer = '+447700900301';
      const { callControlId } = await sim.post<{ callControlId: string }>('/_sim/meta/consumers/calls', { from: consumer, to: n.phone, talkMs: 300, forward: { outcome: 'answered', ringMs: 50 } });
      const initiated = await capture.next('telnyx', (e) => e.eventType === 'call.initiated' && e.payload.payload['call_control_id'] === callControlId);
      await expect(handleCall(initiated)).resolves.toMatchObject({ outcome: 'applied' });
      await expect(handleCall(initiated)).resolves.toMatchObject({ outcome: 'ignored' });
      const received = await inboundCall(callControlId);
      expect(received).toMatchObject({ direction: 'inbound', status: 'ringing', to: consumer, fromNumber: n.phone, forwardTo: 'tel:+14155550199' });

      const ran = () => answer.handle({ callId: received.id });
      await expect(ran()).resolves.toEqual({ answered: true, bridgedTo: '+14155550199' });
      await expect(ran()).resolves.toEqual({ answered: true, bridgedTo: '+14155550199' });
      const legs = await simCalls();
      expect(legs.find((c) => c.callControlId === callControlId)?.commands.map((c) => c.name)).toEqual(['answer', 'transfer']);
      expect(legs.filter((c) => c.bridgedWith === callControlId)).toHaveLength(1);

      const events = await callWebhooks(callControlId);
      const byType = (type: string) => events.find((e) => e.eventType === type) as WebhookEventRef<'telnyx'>;
      const outcomes = [];
      for (const event of [byType('call.hangup'), byType('call.hangup'), byType('call.answered'), initiated]) outcomes.push((await handleCall(event)).outcome);
      expect(outcomes).toEqual(['applied', 'ignored', 'applied', 'ignored']);
      expect(await call(received.id)).toMatchObject({ status: 'ended', hangupCause: 'normal_clearing', durationSeconds: 0 });
      expect((await customerEvents(received.id)).sort()).toEqual(['call.ended', 'call.received']);
      await expect(ran()).resolves.toEqual({ answered: false, reason: 'call is ended' });
    });

    it("a consumer who gives up before the answer: the hang-up, seen first, records the call, failed; the answer job sends nothing", async () => {
      const n = await enabledNumber();
      const { callControlId } = await sim.post<{ callControlId: string }>('/_sim/meta/consumers/calls', { from: '+447700900302', to: n.phone, giveUpMs: 50 });
      const events = await callWebhooks(callControlId);
      await expect(handleCall(events[events.length - 1])).resolves.toMatchObject({ outcome: 'applied' });
      const gaveUp = await inboundCall(callControlId);
      expect(gaveUp).toMatchObject({ direction: 'inbound', status: 'failed', hangupCause: 'originator_cancel' });
      await expect(handleCall(events[0])).resolves.toMatchObject({ outcome: 'ignored' });
      expect((await customerEvents(gaveUp.id)).sort()).toEqual(['call.failed', 'call.received']);
      await expect(answer.handle({ callId: gaveUp.id })).resolves.toEqual({ answered: false, reason: 'call is failed' });
      expect((await simCalls()).find((c) => c.callControlId === callControlId)?.commands).toEqual([]);
    });

    it('a call to a number with calling turned off is rejected at the carrier', async () => {
      const n = await enabledNumber();
      const { callControlId } = await sim.post<{ callControlId: string }>('/_sim/meta/consumers/calls', { from: '+447700900303', to: n.phone });
      const initiated = await capture.next('telnyx', (e) => e.eventType === 'call.initiated' && e.payload.payload['call_control_id'] === callControlId);
      await handleCall(initiated);
      await db.updateTable('phoneNumbers').set({ callingStatus: 'disabled', callingEnabled: false }).where('id', '=', n.id).execute();
      const rejected = await inboundCall(callControlId);
      await expect(answer.handle({ callId: rejected.id })).resolves.toEqual({ answered: false, reason: 'calling is disabled' });
      const events = await callWebhooks(callControlId);
      for (const event of events) await handleCall(event);
      expect(await call(rejected.id)).toMatchObject({ status: 'failed', hangupCause: 'call_rejected' });
    });
  });
});
