import { createHmac } from 'node:crypto';
import { callClientState } from '@numbers/domain';
import { createTelnyxClient, MetaGraphWhatsAppGateway, ProviderError, TelnyxSdkCarrierGateway, type CarrierGateway, type WhatsAppGateway } from '@numbers/providers';
import { appConfigFor, simFetch, startSimulator, type RunningSimulator } from '../testing/simulator-test-harness';
import { verifiedTelnyxEvents, type TelnyxEnvelope } from '../testing/provider-webhooks';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from '../testing/webhook-receiver';

const BUSINESS = '+15550009001';
const META_ID = '109000000000001';
const TELNYX_ID = '4900000000000000001';
const CONSUMER = '+447700900777';

interface MetaMessagesBody {
  entry: { changes: { field: string; value: { metadata: { phone_number_id: string }; messages: Record<string, unknown>[] } }[] }[];
}

/**
 * WhatsApp calling in the simulator, through the adapters the calling worker uses (Graph over
 * fetch, the telnyx SDK): Meta's calling settings and SIP password, consumers writing, the
 * permission prompt under Meta's window and limits, scripted answers; Telnyx dialing Meta with
 * scripted outcomes and signed call webhooks.
 */
describe('WhatsApp calling in the simulator', () => {
  let receiver: WebhookReceiver;
  let sim: RunningSimulator;
  let whatsapp: WhatsAppGateway;
  let carrier: CarrierGateway;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    sim = await startSimulator({ SIMULATOR_WEBHOOK_TARGET: receiver.url }, { webhookRetry: { baseDelayMs: 10 } });
    const config = appConfigFor(sim.url, sim.telnyxPublicKey);
    whatsapp = new MetaGraphWhatsAppGateway(config.meta);
    carrier = new TelnyxSdkCarrierGateway(createTelnyxClient(config.telnyx, { maxRetries: 0 }));
    await simFetch(`${sim.url}/_sim/meta/numbers`, { body: { id: META_ID, displayPhoneNumber: BUSINESS } });
    await simFetch(`${sim.url}/_sim/telnyx/numbers`, { body: { id: TELNYX_ID, phoneNumber: BUSINESS } });
  });
  afterAll(async () => {
    await sim.close();
    await receiver.close();
  });

  const metaMessages = (match: (message: Record<string, unknown>) => boolean) => async (): Promise<Record<string, unknown>> => {
    const [webhook] = await receiver.waitFor((w) => w.path === '/webhooks/meta' && (JSON.parse(w.body) as MetaMessagesBody).entry[0].changes[0].value.messages.some(match));
    expect(webhook.headers['x-hub-signature-256']).toBe(`sha256=${createHmac('sha256', sim.config.META_APP_SECRET).update(webhook.body).digest('hex')}`);
    return (JSON.parse(webhook.body) as MetaMessagesBody).entry[0].changes[0].value.messages.find(match) as Record<string, unknown>;
  };

  const telnyxEventsOf = async (callControlId: string, count: number): Promise<TelnyxEnvelope[]> => {
    const isOurs = (w: ReceivedWebhook) => w.path === '/webhooks/telnyx' && w.body.includes(callControlId);
    await receiver.waitFor(isOurs, { count });
    return verifiedTelnyxEvents(receiver.received.filter(isOurs), sim.telnyxPublicKey);
  };

  it("enables calling with SIP: Meta issues a SIP password, shown only when asked for; the carrier routes the number", async () => {
    await expect(whatsapp.getSipPassword(META_ID)).resolves.toBeNull();
    await whatsapp.updateCallingSettings(META_ID, { enabled: true, sipServer: { hostname: 'sip.telnyx.com', port: 5061 } });
    const password = await whatsapp.getSipPassword(META_ID);
    expect(password).toMatch(/^[\w-]{20,}$/);
    const plain = await simFetch<{ calling: { sip: { servers: Record<string, unknown>[] } } }>(`${sim.url}/graph/v21.0/${META_ID}/settings`, { headers: { authorization: 'Bearer t' } });
    expect(plain.body.calling.sip.servers).toEqual([{ hostname: 'sip.telnyx.com', port: 5061 }]);
    // Off and on again: the same password.
    await whatsapp.updateCallingSettings(META_ID, { enabled: false });
    await expect(whatsapp.getSipPassword(META_ID)).resolves.toBeNull();
    await whatsapp.updateCallingSettings(META_ID, { enabled: true, sipServer: { hostname: 'sip.telnyx.com', port: 5061 } });
    await expect(whatsapp.getSipPassword(META_ID)).resolves.toBe(password);

    await carrier.setNumberConnection(TELNYX_ID, 'call-control-app', 'route-1');
    const state = await simFetch<{ telnyx: { numbers: { id: string; connectionId: string | null }[] } }>(`${sim.url}/_sim/state`);
    expect(state.body.telnyx.numbers.find((n) => n.id === TELNYX_ID)?.connectionId).toBe('call-control-app');
  });

  it('a consumer writes (signed messages webhook); the prompt goes inside the window, once per 24 h; the scripted answer comes back', async () => {
    await expect(whatsapp.sendCallPermissionRequest(META_ID, { to: CONSUMER })).rejects.toMatchObject({ code: '131047', retryable: false });
    const written = await simFetch<{ messageId: string }>(`${sim.url}/_sim/meta/consumers/messages`, { body: { to: BUSINESS, from: CONSUMER, text: 'Call me' } });
    expect(written.status).toBe(202);
    const message = await metaMessages((m) => m['id'] === written.body.messageId)();
    expect(message).toMatchObject({ from: CONSUMER.slice(1), type: 'text', text: { body: 'Call me' }, timestamp: expect.stringMatching(/^\d+$/) });

    await simFetch(`${sim.url}/_sim/meta/consumers/permission-reply`, { body: { consumer: CONSUMER, business: BUSINESS, reply: 'allow_temporary' } });
    const { messageId } = await whatsapp.sendCallPermissionRequest(META_ID, { to: CONSUMER, bodyText: 'May we call?' });
    const reply = await metaMessages((m) => (m['context'] as { id?: string } | undefined)?.id === messageId)();
    expect(reply).toMatchObject({
      type: 'interactive',
      interactive: { type: 'call_permission_reply', call_permission_reply: { response: 'accept', is_permanent: false, expiration_timestamp: expect.any(Number) } },
    });
    const second = await whatsapp.sendCallPermissionRequest(META_ID, { to: CONSUMER }).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(ProviderError);
    expect(second).toMatchObject({ code: '138009', retryable: false });
    await expect(whatsapp.getCallPermissions(META_ID, CONSUMER)).resolves.toEqual({
      permission: { status: 'temporary', expirationTime: expect.any(Number) },
      actions: [
        {
          actionName: 'send_call_permission_request',
          canPerformAction: false,
          limits: [
            { timePeriod: 'PT24H', maxAllowed: 1, currentUsage: 1 },
            { timePeriod: 'P7D', maxAllowed: 2, currentUsage: 1 },
          ],
        },
        { actionName: 'start_call', canPerformAction: true, limits: [] },
      ],
    });
  });

  it('dials Meta over TLS: answered after ringing, hung up after talking; signed webhooks carry client_state; the same command id is one call', async () => {
    const sipPassword = (await whatsapp.getSipPassword(META_ID)) as string;
    await simFetch(`${sim.url}/_sim/telnyx/calls/next`, { body: { outcome: 'answered', ringMs: 50, talkMs: 100 } });
    const dial = {
      connectionId: 'call-control-app',
      from: BUSINESS,
      sipUri: `sip:${CONSUMER}@wa.meta.vc;transport=tls`,
      sipUsername: BUSINESS.slice(1),
      sipPassword,
      clientState: callClientState('6745a1b2c3d4e5f6a7b8c9d1'),
      commandId: 'cmd-1',
      timeoutSecs: 30,
      record: false,
    };
    const call = await carrier.dialWhatsAppCall(dial, 'dial-1');
    await expect(carrier.dialWhatsAppCall(dial, 'dial-1-retry')).resolves.toEqual(call);
    const events = await telnyxEventsOf(call.callControlId, 3);
    expect(events.map((e) => e.data.event_type)).toEqual(['call.initiated', 'call.answered', 'call.hangup']);
    for (const event of events) expect(event.data.payload).toMatchObject({ call_control_id: call.callControlId, client_state: dial.clientState, from: BUSINESS });
    expect(events[2].data.payload).toMatchObject({ hangup_cause: 'normal_clearing', start_time: expect.any(String), end_time: expect.any(String) });
  });

  it('plays busy, no answer and failed; rejects wrong credentials and calls the consumer never allowed', async () => {
    const sipPassword = (await whatsapp.getSipPassword(META_ID)) as string;
    const dial = (consumer: string, password: string, commandId: string) =>
      carrier.dialWhatsAppCall(
        { connectionId: 'app', from: BUSINESS, sipUri: `sip:${consumer}@wa.meta.vc;transport=tls`, sipUsername: BUSINESS.slice(1), sipPassword: password, clientState: 'eA==', commandId, timeoutSecs: 30, record: false },
        commandId,
      );
    const causeOf = async (callControlId: string, events: number) => (await telnyxEventsOf(callControlId, events)).find((e) => e.data.event_type === 'call.hangup')?.data.payload['hangup_cause'];
    await simFetch(`${sim.url}/_sim/telnyx/calls/next`, { body: { outcome: 'busy' } });
    expect(await causeOf((await dial(CONSUMER, sipPassword, 'busy')).callControlId, 2)).toBe('user_busy');
    await simFetch(`${sim.url}/_sim/telnyx/calls/next`, { body: { outcome: 'no_answer', ringMs: 20 } });
    expect(await causeOf((await dial(CONSUMER, sipPassword, 'no-answer')).callControlId, 2)).toBe('no_answer');
    await simFetch(`${sim.url}/_sim/telnyx/calls/next`, { body: { outcome: 'failed' } });
    expect(await causeOf((await dial(CONSUMER, sipPassword, 'failed')).callControlId, 2)).toBe('unspecified');
    expect(await causeOf((await dial(CONSUMER, 'wrong', 'bad-auth')).callControlId, 2)).toBe('call_rejected');
    expect(await causeOf((await dial('+447700900778', sipPassword, 'no-permission')).callControlId, 2)).toBe('call_rejected');
    const { body } = await simFetch<{ calls: { commandId: string; rejectedBecause: string | null }[] }>(`${sim.url}/_sim/telnyx/calls`);
    expect(body.calls.find((c) => c.commandId === 'bad-auth')?.rejectedBecause).toBe('SIP digest authentication failed');
    expect(body.calls.find((c) => c.commandId === 'no-permission')?.rejectedBecause).toMatch(/not allowed calls/);
  });

  it("holds a call's webhooks to the end when asked, so the policy's shuffle reorders them", async () => {
    await simFetch(`${sim.url}/_sim/webhooks/policy`, { method: 'PUT', body: { copies: 2 } });
    await simFetch(`${sim.url}/_sim/telnyx/calls/next`, { body: { outcome: 'answered', ringMs: 10, talkMs: 10, delivery: 'at_end' } });
    const sipPassword = (await whatsapp.getSipPassword(META_ID)) as string;
    const call = await carrier.dialWhatsAppCall(
      { connectionId: 'app', from: BUSINESS, sipUri: `sip:${CONSUMER}@wa.meta.vc;transport=tls`, sipUsername: BUSINESS.slice(1), sipPassword, clientState: 'eA==', commandId: 'held', timeoutSecs: 30, record: false },
      'held',
    );
    const events = await telnyxEventsOf(call.callControlId, 6);
    expect(events.map((e) => e.data.event_type).sort()).toEqual(['call.answered', 'call.answered', 'call.hangup', 'call.hangup', 'call.initiated', 'call.initiated']);
    await simFetch(`${sim.url}/_sim/webhooks/policy`, { method: 'PUT', body: { copies: 1 } });
  });

  it("a consumer's call through Call Control: answered with recording, transferred, each command once; a command on an ended call is call_ended; the recording's URL is fresh and short-lived", async () => {
    const placed = await simFetch<{ callControlId: string; metaCallId: string }>(`${sim.url}/_sim/meta/consumers/calls`, {
      body: { from: CONSUMER, to: BUSINESS, talkMs: 100, forward: { outcome: 'answered', ringMs: 10 } },
    });
    expect(placed.status).toBe(201);
    const { callControlId } = placed.body;
    const [initiated] = await telnyxEventsOf(callControlId, 1);
    expect(initiated.data.payload).toMatchObject({ direction: 'incoming', from: CONSUMER, to: BUSINESS, connection_id: 'call-control-app', state: 'parked' });

    const clientState = callClientState('6745a1b2c3d4e5f6a7b8c9d2');
    const answer = { callControlId, clientState, commandId: 'answer-1', record: true, streamUrl: null };
    const transfer = { callControlId, to: '+14155550199', from: BUSINESS, targetLegClientState: 'Zm9yd2FyZA==', commandId: 'transfer-1', timeoutSecs: 30 };
    await expect(carrier.answerCall(answer)).resolves.toBe('done');
    await expect(carrier.transferCall(transfer)).resolves.toBe('done');
    await expect(carrier.answerCall(answer)).resolves.toBe('done');
    await expect(carrier.transferCall(transfer)).resolves.toBe('done');

    const events = await telnyxEventsOf(callControlId, 4);
    const ofType = (type: string) => events.find((e) => e.data.event_type === type);
    expect(events.map((e) => e.data.event_type).sort()).toEqual(['call.answered', 'call.hangup', 'call.initiated', 'call.recording.saved']);
    expect(ofType('call.answered')?.data.payload).toMatchObject({ client_state: clientState });
    const { body } = await simFetch<{ calls: { callControlId: string; bridgedWith: string | null; to: string; clientState: string | null; commands: unknown[] }[] }>(`${sim.url}/_sim/telnyx/calls`);
    expect(body.calls.find((c) => c.callControlId === callControlId)?.commands).toHaveLength(2);
    expect(body.calls.filter((c) => c.bridgedWith === callControlId).map((c) => [c.to, c.clientState])).toEqual([['+14155550199', 'Zm9yd2FyZA==']]);

    await expect(carrier.hangupCall(callControlId, 'hangup-1')).resolves.toBe('call_ended');
    await expect(carrier.rejectCall('v3:nobody', 'reject-1')).rejects.toMatchObject({ status: 404, retryable: false });

    const recordingId = ofType('call.recording.saved')?.data.payload['recording_id'] as string;
    const link = await carrier.getRecordingLink(recordingId);
    expect(link?.url).toMatch(new RegExp(`/_sim/telnyx/recording-files/${recordingId}\\.mp3\\?X-Amz-Expires=\\d+$`));
    const audio = await fetch(link?.url ?? '');
    expect([audio.status, audio.headers.get('content-type')]).toEqual([200, 'audio/mpeg']);
    await expect(fetch(link?.url.replace(/\d+$/, '1') ?? '').then((r) => r.status)).resolves.toBe(403);
    await expect(carrier.getRecordingLink('00000000-0000-4000-8000-000000000000')).resolves.toBeNull();
  });

  it('rejects a consumer call not answered; refuses to put one through to a number without SIP calling', async () => {
    const placed = await simFetch<{ callControlId: string }>(`${sim.url}/_sim/meta/consumers/calls`, { body: { from: CONSUMER, to: BUSINESS } });
    await telnyxEventsOf(placed.body.callControlId, 1);
    await expect(carrier.rejectCall(placed.body.callControlId, 'reject-2')).resolves.toBe('done');
    const events = await telnyxEventsOf(placed.body.callControlId, 2);
    expect(events.find((e) => e.data.event_type === 'call.hangup')?.data.payload).toMatchObject({ hangup_cause: 'call_rejected' });

    await whatsapp.updateCallingSettings(META_ID, { enabled: false });
    const refused = await simFetch(`${sim.url}/_sim/meta/consumers/calls`, { body: { from: CONSUMER, to: BUSINESS } });
    expect(refused.status).toBe(409);
    await whatsapp.updateCallingSettings(META_ID, { enabled: true, sipServer: { hostname: 'sip.telnyx.com', port: 5061 } });
  });
});
