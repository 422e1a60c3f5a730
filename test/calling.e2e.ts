// WhatsApp calling end to end: the built provider simulator (Meta's calling settings, consumers
// and prompts; Telnyx's SIP calls and their signed webhooks), gateway, calling worker and delivery
// worker as real processes on a database and Redis prefix of their own, driven through the public
// `@zernio/node` SDK; the customer's webhook endpoint is a real HTTP server in this test. The number starts active (seeded at the simulated carrier and Meta, and in our database):
// buying one is test/provisioning-flow.e2e.ts.
import Zernio, { ZernioApiError, type GetWhatsAppCallPermissionsResponse, type GetWhatsAppCallingResponse, type InitiateWhatsAppCallResponse, type ListWhatsAppCallsResponse } from '@zernio/node';
import { newId } from '@numbers/domain';
import type { Database } from '@numbers/persistence';
import { countOf, createTestAccountWithKey, eventually, startCustomerWebhookReceiver, type CustomerWebhookReceiver, type SimulatorProcess, type TestAccountWithKey } from '@numbers/test-support';
import { enableCalling } from './support/calling';
import { setWebhookPolicy, startGateway, type GatewaySystem } from './support/system';

const dataOf = <T>(result: { data?: unknown }): T => result.data as T;
type Calling = GetWhatsAppCallingResponse & { callingStatus?: string };
type Initiated = InitiateWhatsAppCallResponse & { promptId?: string; action?: string };
type LoggedCall = NonNullable<ListWhatsAppCallsResponse['calls']>[number] & { hangupCause?: string | null; answeredAt?: string | null; forwardTo?: string | null; metaCallId?: string | null };

interface SimCall {
  callControlId: string;
  direction: 'incoming' | 'outgoing';
  commandId: string | null;
  from: string;
  to: string;
  state: string;
  hangupCause: string | null;
  bridgedWith: string | null;
  clientState: string | null;
  commands: { name: string; commandId: string | null; body: Record<string, unknown> }[];
  events: { eventType: string; id: string }[];
}

const PHONE = '+14155550142';
const META_ID = '106540352242001';
const TELNYX_ID = '4400000000000000042';
const CONSUMER = '+447700900555';

let system: GatewaySystem;
let db: Database;
let sim: SimulatorProcess;
let receiver: CustomerWebhookReceiver;
let acme: TestAccountWithKey;
let z: Zernio;
let numberId: string;
let baseUrl: string;
const gatewayUrl = () => baseUrl;

async function refused(request: Promise<unknown>): Promise<ZernioApiError> {
  const failure = await request.then(
    () => new Error('expected a refusal'),
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(ZernioApiError);
  return failure as ZernioApiError;
}

const permissions = async () => dataOf<GetWhatsAppCallPermissionsResponse>(await z.whatsappcalling.getWhatsAppCallPermissions({ query: { accountId: numberId, to: CONSUMER } }));
const canPrompt = async () => (await permissions()).actions?.find((a) => a.action_name === 'send_call_permission_request')?.can_perform_action;
const simCalls = async () => (await sim.get<{ calls: SimCall[] }>('/_sim/telnyx/calls')).calls;
const listInbound = async () => dataOf<{ calls: LoggedCall[] }>(await z.whatsappcalling.listWhatsAppCalls({ query: { accountId: numberId, direction: 'inbound' } })).calls;
const getCall = async (callId: string) => dataOf<{ call: LoggedCall }>(await z.whatsappcalling.getWhatsAppCall({ path: { id: callId }, query: { accountId: numberId } })).call;

beforeAll(async () => {
  receiver = await startCustomerWebhookReceiver();
  system = await startGateway({ OUTBOX_POLL_MS: '20' });
  ({ db, sim, baseUrl } = system);
  await Promise.all([system.startWorker('calling-worker'), system.startWorker('delivery-worker')]);

  acme = await createTestAccountWithKey(db, { name: 'Acme Plumbing', planCode: 'growth' });
  z = new Zernio({ apiKey: acme.apiKey, baseURL: baseUrl });
  await sim.post('/_sim/telnyx/numbers', { id: TELNYX_ID, phoneNumber: PHONE, connectionId: 'default-voice' });
  await sim.post('/_sim/meta/numbers', { id: META_ID, displayPhoneNumber: PHONE });
  numberId = newId();
  await db
    .insertInto('phoneNumbers')
    .values({
      id: numberId,
      accountId: acme.accountId,
      profileId: acme.profileId,
      phoneNumber: PHONE,
      country: 'US',
      status: 'active',
      monthlyCents: 300,
      telnyxNumberId: TELNYX_ID,
      metaPhoneNumberId: META_ID,
      activatedAt: new Date(),
    })
    .execute();
}, 300_000);

afterAll(async () => {
  await system?.stop();
  await receiver?.stop();
});

const callEvents = (event: string) => receiver.deliveries('/calls').filter((d) => d.body.event === event);

describe('WhatsApp calling through the @zernio/node SDK', () => {
  beforeAll(() => z.webhooks.createWebhookSettings({ body: { name: 'calls', url: `${receiver.url}/calls`, events: ['call.ended', 'call.failed', 'call.permission_request'] } }));

  it("enables calling: Meta's calling settings point SIP at the carrier, the carrier routes the number, no secret is shown", async () => {
    const settings = await enableCalling(z, numberId, 'tel:+14155550199');
    expect(settings).toMatchObject({ phoneNumber: PHONE, callingEnabled: true, callDeepLink: 'https://wa.me/call/14155550142', outboundDisabled: false });
    const meta = await sim.get<{ settings: { numberId: string; status: string; sipPassword: string }[] }>('/_sim/meta/calling');
    const atMeta = meta.settings.find((s) => s.numberId === META_ID);
    expect(atMeta).toMatchObject({ status: 'ENABLED', sip: { status: 'ENABLED', servers: [{ hostname: 'sip.telnyx.com', port: 5061 }] } });
    const legacy = await z.whatsappcalling.getWhatsAppCallingConfig({ query: { accountId: numberId } });
    for (const body of [JSON.stringify(settings), JSON.stringify(legacy.data)]) expect(body).not.toContain(atMeta?.sipPassword);
    expect(dataOf<Calling & { phoneNumberDocId: string }>(legacy).phoneNumberDocId).toBe(numberId);
  });

  it('refuses a call the consumer has not allowed, and a prompt before the consumer wrote', async () => {
    expect(await refused(z.whatsappcalling.initiateWhatsAppCall({ body: { accountId: numberId, to: CONSUMER } }))).toMatchObject({
      statusCode: 422,
      code: 'CALL_PERMISSION_REQUIRED',
    });
    expect(
      await refused(z.whatsappcalling.initiateWhatsAppCall({ body: { accountId: numberId, to: CONSUMER, action: 'send_call_permission_request' } })),
    ).toMatchObject({ statusCode: 422, code: 'CUSTOMER_SERVICE_WINDOW_CLOSED' });
  });

  it('a consumer writes; the prompt is sent to Meta; a second prompt within 24 h is refused by us, before Meta is asked', async () => {
    await sim.post('/_sim/meta/consumers/messages', { to: PHONE, from: CONSUMER, text: 'Hi! Please call me about my boiler.' });
    await eventually('the window open', canPrompt);

    const prompt = dataOf<Initiated>(
      await z.whatsappcalling.initiateWhatsAppCall({ body: { accountId: numberId, to: CONSUMER, action: 'send_call_permission_request', bodyText: 'May we call you about your boiler?' } }),
    );
    expect(prompt).toMatchObject({ success: true, action: 'send_call_permission_request', status: 'queued', to: CONSUMER });
    const sent = await eventually('the prompt at Meta', async () => {
      const { messages } = await sim.get<{ messages: { to: string; interactiveType: string; bodyText: string }[] }>('/_sim/meta/calling');
      return messages.find((m) => m.to === CONSUMER.slice(1));
    });
    expect(sent).toMatchObject({ interactiveType: 'call_permission_request', bodyText: 'May we call you about your boiler?' });
    const metaRequests = (await sim.get<{ requests: unknown[] }>('/_sim/requests?provider=meta')).requests.length;

    const second = await refused(z.whatsappcalling.initiateWhatsAppCall({ body: { accountId: numberId, to: CONSUMER, action: 'send_call_permission_request' } }));
    expect(second).toMatchObject({ statusCode: 429, code: 'PERMISSION_REQUEST_DAILY_LIMIT' });
    expect((await sim.get<{ requests: unknown[] }>('/_sim/requests?provider=meta')).requests).toHaveLength(metaRequests);
  });

  it('the consumer allows: our permission is what Meta says', async () => {
    await sim.post('/_sim/meta/consumers/permission-reply', { consumer: CONSUMER, business: PHONE, reply: 'allow_temporary' });
    const granted = await eventually('permission granted', async () => {
      const answer = await permissions();
      return answer.permission?.status === 'temporary' ? answer : null;
    });
    expect(granted.actions).toEqual([
      { action_name: 'send_call_permission_request', can_perform_action: false },
      { action_name: 'start_call', can_perform_action: true },
    ]);
    const atMeta = await fetch(`${sim.url}/graph/v21.0/${META_ID}/call_permissions?user_wa_id=${CONSUMER.slice(1)}`, { headers: { authorization: 'Bearer t' } });
    const meta = (await atMeta.json()) as { permission: { status: string; expiration_time: number } };
    expect(meta.permission.status).toBe('temporary');
    expect(Math.abs((granted.permission?.expiration_time ?? 0) - meta.permission.expiration_time)).toBeLessThanOrEqual(1);

    // The customer hears the answer.
    const [announced] = await eventually('call.permission_request delivered', async () => (callEvents('call.permission_request').length > 0 ? callEvents('call.permission_request') : null));
    expect(announced.body).toMatchObject({
      event: 'call.permission_request',
      permission: { from: CONSUMER, response: 'accept', isPermanent: false, expirationTimestamp: expect.any(String) },
      account: { id: numberId, accountId: numberId, profileId: acme.profileId, platform: 'whatsapp', username: PHONE },
    });
  });

  it('places the call (dialing at once); it rings, is answered, ends, and is in the log with its duration; the retried POST placed one call', async () => {
    await sim.post('/_sim/telnyx/calls/next', { outcome: 'answered', ringMs: 300, talkMs: 2000 });
    const headers = { 'Idempotency-Key': 'e2e-call-1' };
    const body = { accountId: numberId, to: CONSUMER };
    const placed = dataOf<Initiated>(await z.whatsappcalling.initiateWhatsAppCall({ body, headers }));
    expect(placed).toEqual({ success: true, callId: expect.any(String), telnyxCallControlId: null, status: 'dialing', direction: 'outbound', to: CONSUMER, forwardTo: 'tel:+14155550199', recordingEnabled: false });
    const retried = await z.whatsappcalling.initiateWhatsAppCall({ body, headers });
    expect(retried.response.headers.get('idempotent-replayed')).toBe('true');
    expect(dataOf<Initiated>(retried)).toEqual(placed);

    const callId = placed.callId as string;
    await eventually('ringing or later', async () => ['ringing', 'answered', 'ended'].includes((await getCall(callId)).status ?? ''));
    const ended = await eventually('call ended', async () => {
      const call = await getCall(callId);
      return call.status === 'ended' && call.durationSeconds !== null ? call : null;
    });
    expect(ended).toMatchObject({ status: 'ended', durationSeconds: 2, endReason: 'hangup', hangupCause: 'normal_clearing', to: CONSUMER, from: PHONE });
    const log = dataOf<ListWhatsAppCallsResponse>(await z.whatsappcalling.listWhatsAppCalls({ query: { accountId: numberId } }));
    expect(log.calls?.map((c) => [c._id, c.status, c.durationSeconds])).toEqual([[callId, 'ended', 2]]);
    expect(log.nextCursor).toBeNull();

    // One call: one row, one dial at the carrier (to Meta, over TLS).
    expect(await countOf(db.selectFrom('calls').where('numberId', '=', numberId))).toBe(1);
    const dials = (await simCalls()).filter((c) => c.commandId === callId);
    expect(dials.map((c) => [c.to, c.state])).toEqual([[`sip:${CONSUMER}@wa.meta.vc;transport=tls`, 'hangup']]);
    // The connected call reset Meta's prompt limits.
    expect(await canPrompt()).toBe(true);

    // The customer hears that it ended, once.
    const [announced] = await eventually('call.ended delivered', async () => (callEvents('call.ended').length > 0 ? callEvents('call.ended') : null));
    expect(announced.body).toMatchObject({
      event: 'call.ended',
      call: { id: callId, accountId: numberId, phoneNumberId: META_ID, direction: 'outbound', from: PHONE, to: CONSUMER, durationSeconds: 2, endReason: 'hangup', hangupCause: 'normal_clearing' },
    });
    expect(callEvents('call.ended')).toHaveLength(1);
  });

  it('a call the consumer is too busy to take fails, and the customer hears call.failed', async () => {
    await sim.post('/_sim/telnyx/calls/next', { outcome: 'busy' });
    const placed = dataOf<Initiated>(await z.whatsappcalling.initiateWhatsAppCall({ body: { accountId: numberId, to: CONSUMER }, headers: { 'Idempotency-Key': 'e2e-call-busy' } }));
    const callId = placed.callId as string;
    await eventually('call failed', async () => (await getCall(callId)).status === 'failed');
    const [announced] = await eventually('call.failed delivered', async () => (callEvents('call.failed').length > 0 ? callEvents('call.failed') : null));
    expect(announced.body).toMatchObject({ event: 'call.failed', call: { id: callId, to: CONSUMER, error: { message: 'user_busy' } } });
  });

  it('webhooks delivered five times each and shuffled: one call, in the right final state', async () => {
    await setWebhookPolicy(sim, { copies: 5, shuffle: true });
    await sim.post('/_sim/telnyx/calls/next', { outcome: 'answered', ringMs: 200, talkMs: 1000, delivery: 'at_end' });
    const placed = dataOf<Initiated>(await z.whatsappcalling.initiateWhatsAppCall({ body: { accountId: numberId, to: CONSUMER }, headers: { 'Idempotency-Key': 'e2e-call-2' } }));
    const callId = placed.callId as string;

    const ended = await eventually('call ended', async () => {
      const call = await getCall(callId);
      return call.status === 'ended' && call.durationSeconds !== null ? call : null;
    });
    expect(ended).toMatchObject({ status: 'ended', durationSeconds: 1, endReason: 'hangup' });
    const [dialed] = (await simCalls()).filter((c) => c.commandId === callId);
    const eventIds = dialed.events.map((e) => e.id);
    expect(dialed.events.map((e) => e.eventType)).toEqual(['call.initiated', 'call.answered', 'call.hangup']);
    await eventually('every copy delivered', async () => {
      const { webhooks } = await sim.get<{ webhooks: { deliveries: { eventId: string | null; delivered: boolean }[] } }>('/_sim/state');
      return webhooks.deliveries.filter((d) => d.eventId !== null && eventIds.includes(d.eventId) && d.delivered).length === 15;
    });
    // Stored once each, processed once each; one call.
    const stored = await db.selectFrom('webhookEvents').selectAll().where('provider', '=', 'telnyx').where('eventId', 'in', eventIds).execute();
    expect(stored).toHaveLength(3);
    await eventually('every event processed', async () => (await countOf(db.selectFrom('webhookEvents').where('provider', '=', 'telnyx').where('eventId', 'in', eventIds).where('processedAt', 'is not', null))) === 3);
    expect(await countOf(db.selectFrom('calls').where('numberId', '=', numberId))).toBe(3);
    expect(await getCall(callId)).toMatchObject({ status: 'ended', durationSeconds: 1 });
    // Fifteen carrier webhooks, one customer event.
    await eventually('call.ended delivered', async () => callEvents('call.ended').some((d) => (d.body as { call?: { id?: string } }).call?.id === callId));
    const born = await db.selectFrom('customerEvents').select('payload').where('type', '=', 'call.ended').execute();
    expect(born.filter((e) => (e.payload as { call: { id: string } }).call.id === callId)).toHaveLength(1);
    await setWebhookPolicy(sim, { copies: 1, shuffle: false });
  });
});

describe('Inbound WhatsApp calls and recordings through the @zernio/node SDK', () => {
  const CALLER = '+447700900666';
  const FORWARD = '+14155550199';
  const inboundEvents = (event: string) => receiver.deliveries('/inbound').filter((d) => d.body.event === event);
  /** A consumer calls the business number (Meta takes it over SIP to the carrier); the call id our log gives it, once it is there. */
  const consumerCalls = async (script: Record<string, unknown>) => {
    const placed = await sim.post<{ callControlId: string; metaCallId: string }>('/_sim/meta/consumers/calls', { from: CALLER, to: PHONE, ...script });
    const call = await eventually('the call in the log', async () => (await listInbound()).find((c) => c._id !== undefined && !seen.has(c._id)) ?? null);
    seen.add(call._id as string);
    return { ...placed, callId: call._id as string };
  };
  const seen = new Set<string>();
  const ended = (callId: string) =>
    eventually('call ended', async () => {
      const call = await getCall(callId);
      return call.status === 'ended' || call.status === 'failed' ? call : null;
    });

  beforeAll(async () => {
    await z.webhooks.createWebhookSettings({ body: { name: 'inbound', url: `${receiver.url}/inbound`, events: ['call.received', 'call.ended'] } });
    const updated = await z.whatsappcalling.updateWhatsAppCalling({ path: { id: numberId }, body: { accountId: numberId, recordingEnabled: true } });
    expect(dataOf<Calling>(updated)).toMatchObject({ recordingEnabled: true, forwardTo: `tel:${FORWARD}` });
  });

  it("answers the consumer's call, bridges it to forwardTo and logs it inbound with its states; the customer hears call.received", async () => {
    const { callControlId, metaCallId, callId } = await consumerCalls({ talkMs: 1500, forward: { outcome: 'answered', ringMs: 100 } });
    const call = await ended(callId);
    expect(call).toMatchObject({ direction: 'inbound', from: CALLER, to: PHONE, status: 'ended', endReason: 'hangup', forwardTo: `tel:${FORWARD}`, recordingEnabled: true });
    expect(call.durationSeconds).toBeGreaterThanOrEqual(1);
    expect(call.answeredAt).toEqual(expect.any(String));

    // At the carrier: the consumer's leg answered (recording from the answer) and transferred to the destination, as the business number.
    const legs = await simCalls();
    const consumerLeg = legs.find((c) => c.callControlId === callControlId) as SimCall;
    expect(consumerLeg.commands.map((c) => [c.name, c.commandId])).toEqual([
      ['answer', `answer-${callId}`],
      ['transfer', `transfer-${callId}`],
    ]);
    expect(consumerLeg.commands[0].body).toMatchObject({ record: true });
    expect(consumerLeg.commands[1].body).toMatchObject({ to: FORWARD, from: PHONE });
    const forwardLegs = legs.filter((c) => c.bridgedWith === callControlId);
    expect(forwardLegs.map((c) => [c.direction, c.from, c.to, c.state])).toEqual([['outgoing', PHONE, FORWARD, 'hangup']]);

    // Meta's calls webhook named the call.
    expect(await eventually("Meta's call id", async () => (await getCall(callId)).metaCallId ?? null)).toBe(metaCallId);

    const [received] = await eventually('call.received delivered', async () => (inboundEvents('call.received').length > 0 ? inboundEvents('call.received') : null));
    expect(received.body).toMatchObject({
      event: 'call.received',
      call: { id: callId, accountId: numberId, phoneNumberId: META_ID, direction: 'inbound', from: CALLER, to: PHONE, forwardTo: `tel:${FORWARD}`, startedAt: expect.any(String) },
      account: { id: numberId, profileId: acme.profileId, platform: 'whatsapp', username: PHONE },
    });
    await eventually('call.ended delivered', async () => inboundEvents('call.ended').some((d) => (d.body as { call?: { id?: string } }).call?.id === callId));
    expect(inboundEvents('call.ended').find((d) => (d.body as { call?: { id?: string } }).call?.id === callId)?.body).toMatchObject({
      call: { direction: 'inbound', from: CALLER, to: PHONE },
    });
  });

  it('the recording is fetched: {url} with as=json, a 302 without; none, or another account, is 404; bad input 400 naming the param', async () => {
    const [call] = await listInbound();
    const callId = call._id as string;
    const { url } = await eventually('the recording saved', async () => {
      const result = await z.whatsappcalling.getWhatsAppCallRecording({ path: { id: callId }, query: { accountId: numberId, as: 'json' } });
      return result.response.status === 200 ? dataOf<{ url: string }>(result) : null;
    });
    const audio = await fetch(url);
    expect(audio.status).toBe(200);
    expect(audio.headers.get('content-type')).toBe('audio/mpeg');
    expect((await getCall(callId)).recordingUrl).toBe(`/v1/whatsapp/calls/${callId}/recording?accountId=${numberId}`);

    const redirect = await fetch(`${gatewayUrl()}/v1/whatsapp/calls/${callId}/recording?accountId=${numberId}`, { headers: { authorization: `Bearer ${acme.apiKey}` }, redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toMatch(/\/_sim\/telnyx\/recording-files\/[\w-]+\.mp3\?X-Amz-Expires=\d+$/);
    expect(redirect.headers.get('cache-control')).toBe('no-store');

    // An outbound call placed before recording was on has none.
    const [outbound] = dataOf<{ calls: LoggedCall[] }>(await z.whatsappcalling.listWhatsAppCalls({ query: { accountId: numberId, direction: 'outbound' } })).calls;
    expect(await refused(z.whatsappcalling.getWhatsAppCallRecording({ path: { id: outbound._id as string }, query: { accountId: numberId, as: 'json' } }))).toMatchObject({ statusCode: 404 });
    // Another account cannot reach this call, nor its recording.
    const other = await createTestAccountWithKey(db, { name: 'Other Co' });
    const z2 = new Zernio({ apiKey: other.apiKey, baseURL: gatewayUrl() });
    expect(await refused(z2.whatsappcalling.getWhatsAppCallRecording({ path: { id: callId }, query: { accountId: numberId, as: 'json' } }))).toMatchObject({ statusCode: 404 });
    expect(await refused(z.whatsappcalling.getWhatsAppCallRecording({ path: { id: newId() }, query: { accountId: numberId } }))).toMatchObject({ statusCode: 404 });
    // Bad input names the param.
    for (const [path, query, param] of [
      [{ id: 'nope' }, { accountId: numberId }, 'id'],
      [{ id: callId }, { accountId: 'x' }, 'accountId'],
      [{ id: callId }, { accountId: numberId, as: 'xml' }, 'as'],
    ] as const) {
      const error = await refused(z.whatsappcalling.getWhatsAppCallRecording({ path, query: query as { accountId: string; as?: 'json' } }));
      expect([error.statusCode, error.code, error.param]).toEqual([400, 'VALIDATION_FAILED', param]);
    }
  });

  it('an outbound call with recording on gets its recording the same way', async () => {
    await sim.post('/_sim/telnyx/calls/next', { outcome: 'answered', ringMs: 100, talkMs: 1000 });
    const placed = dataOf<Initiated>(await z.whatsappcalling.initiateWhatsAppCall({ body: { accountId: numberId, to: CONSUMER }, headers: { 'Idempotency-Key': 'e2e-recorded' } }));
    expect(placed.recordingEnabled).toBe(true);
    const callId = placed.callId as string;
    await ended(callId);
    const { url } = await eventually('the recording saved', async () => {
      const result = await z.whatsappcalling.getWhatsAppCallRecording({ path: { id: callId }, query: { accountId: numberId, as: 'json' } });
      return result.response.status === 200 ? dataOf<{ url: string }>(result) : null;
    });
    expect((await fetch(url)).status).toBe(200);
  });

  it('a destination that is busy: the consumer is not left on an open line, we hang it up', async () => {
    const { callControlId, callId } = await consumerCalls({ talkMs: null, forward: { outcome: 'busy', ringMs: 100 } });
    const call = await ended(callId);
    expect(call).toMatchObject({ direction: 'inbound', status: 'ended' });
    const consumerLeg = (await simCalls()).find((c) => c.callControlId === callControlId) as SimCall;
    expect(consumerLeg.commands.map((c) => c.commandId)).toEqual([`answer-${callId}`, `transfer-${callId}`, `hangup-${callId}`]);
    expect((await simCalls()).filter((c) => c.bridgedWith === callControlId).map((c) => c.hangupCause)).toEqual(['user_busy']);
  });

  it("webhooks delivered three times each: one call, answered and bridged once", async () => {
    await setWebhookPolicy(sim, { copies: 3, shuffle: true });
    try {
      const { callControlId, callId } = await consumerCalls({ talkMs: 800, forward: { outcome: 'answered', ringMs: 50 } });
      expect(await ended(callId)).toMatchObject({ status: 'ended' });
      expect(await countOf(db.selectFrom('calls').where('telnyxCallControlId', '=', callControlId))).toBe(1);
      expect((await simCalls()).filter((c) => c.bridgedWith === callControlId)).toHaveLength(1);
      const received = await db.selectFrom('customerEvents').select('payload').where('type', '=', 'call.received').execute();
      expect(received.filter((e) => (e.payload as { call: { id: string } }).call.id === callId)).toHaveLength(1);
    } finally {
      await setWebhookPolicy(sim, { copies: 1, shuffle: false });
    }
  });
});
