import { AppConfig } from '@numbers/config';
import { newId } from '@numbers/domain';
import { createTestDatabase, testEnv, testRedisPrefix, type TestDatabase } from '@numbers/test-support';
import { Database } from '../database/database';
import { OutboxRepository } from '../outbox/outbox.repository';
import { CallPermissionRepository } from './call-permission.repository';
import { CallRepository, type NewCall } from './call.repository';
import { CallingSettingsRepository } from '../numbers/calling-settings.repository';

// The calls aggregate's queries against a real database: what the builder writes must mean what
// the SQL it replaced meant (one statement per call, row comparisons, upserts keeping the latest).
let testDb: TestDatabase;
let db: Database;
let calls: CallRepository;
let permissions: CallPermissionRepository;
let settings: CallingSettingsRepository;
let accountId: string;
let profileId: string;

const HOUR = 3600_000;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = new Database(AppConfig.fromEnv(testEnv({ DATABASE_URL: testDb.url, REDIS_PREFIX: testRedisPrefix() })));
  const outbox = new OutboxRepository();
  calls = new CallRepository(db);
  permissions = new CallPermissionRepository(db, outbox);
  settings = new CallingSettingsRepository(db, outbox);
  [accountId, profileId] = [newId(), newId()];
  await db.insertInto('accounts').values({ id: accountId, name: 'Acme', planCode: 'scale' }).execute();
  await db.insertInto('profiles').values({ id: profileId, accountId, name: 'main' }).execute();
});

afterAll(async () => {
  await db?.destroy();
  await testDb?.drop();
});

async function addNumber(country = 'US'): Promise<string> {
  const id = newId();
  await db
    .insertInto('phoneNumbers')
    .values({ id, accountId, profileId, country, status: 'active', monthlyCents: 300, phoneNumber: `+1415${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}` })
    .execute();
  return id;
}

const jobs = (name: string) => db.selectFrom('outbox').select('payload').where('kind', '=', 'job').where('name', '=', name).execute();

function newCall(numberId: string, at = new Date()): NewCall {
  return { id: newId(at), accountId, numberId, fromNumber: '+14155550000', to: '+447700900001', forwardTo: null, recordingEnabled: false, createdAt: at };
}

describe('CallRepository', () => {
  it('writes the call and its place-call job in one statement: both, or neither', async () => {
    const call = newCall(await addNumber());
    await calls.createWithDialJob(call);
    expect(await calls.find(call.id)).toMatchObject({ status: 'dialing', direction: 'outbound', to: call.to, createdAt: call.createdAt, version: 0 });
    expect((await jobs('place-call')).filter((j) => (j.payload as { callId: string }).callId === call.id)).toEqual([{ payload: { callId: call.id } }]);

    await expect(calls.createWithDialJob(call)).rejects.toThrow();
    expect((await jobs('place-call')).filter((j) => (j.payload as { callId: string }).callId === call.id)).toHaveLength(1);
  });

  it("reads the caller with its country's rule and the consumer's permission, or none", async () => {
    const us = await addNumber('US');
    const fr = await addNumber('FR');
    expect(await calls.findCaller(accountId, us, '+447700900002')).toMatchObject({ id: us, outboundCallingAvailable: true, callingStatus: 'disabled', permission: null });
    expect(await calls.findCaller(accountId, fr, '+447700900002')).toMatchObject({ outboundCallingAvailable: false });
    expect(await calls.findCaller(newId(), us, '+447700900002')).toBeNull();

    const at = new Date();
    await permissions.openWindow({ accountId, numberId: us, consumer: '+447700900002' }, at);
    expect((await calls.findCaller(accountId, us, '+447700900002'))?.permission).toEqual({
      status: 'no_permission',
      expiresAt: null,
      windowOpenedAt: at,
      lastConnectedCallAt: null,
      decidedAt: null,
    });
  });

  it('pages by (created_at, id) and filters', async () => {
    const numberId = await addNumber();
    const base = Date.now() - HOUR;
    const sameInstant = [newCall(numberId, new Date(base)), newCall(numberId, new Date(base))].sort((a, b) => a.id.localeCompare(b.id));
    const later = newCall(numberId, new Date(base + 1000));
    for (const call of [...sameInstant, later]) await calls.createWithDialJob(call);
    const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

    expect(ids(await calls.list({ numberId, limit: 10 }))).toEqual([later.id, sameInstant[1].id, sameInstant[0].id]);
    expect(ids(await calls.list({ numberId, limit: 10, before: { createdAt: new Date(base), id: sameInstant[1].id } }))).toEqual([sameInstant[0].id]);
    expect(ids(await calls.list({ numberId, limit: 10, before: { createdAt: new Date(base + 1000), id: null } }))).toEqual([sameInstant[1].id, sameInstant[0].id]);
    expect(ids(await calls.list({ numberId, limit: 10, since: new Date(base + 1), until: new Date(base + 2000) }))).toEqual([later.id]);
    expect(ids(await calls.list({ numberId, limit: 10, status: 'ended' }))).toEqual([]);
    expect(await calls.list({ numberId, limit: 1 })).toHaveLength(2);
  });

  it('moves a call under its lock: found by control id, the first control id kept, the version bumped', async () => {
    const call = newCall(await addNumber());
    await calls.createWithDialJob(call);
    await calls.setControlId(call.id, 'v3:first');
    await calls.setControlId(call.id, 'v3:second');
    const answeredAt = new Date();
    await db.transaction().execute(async (tx) => {
      const locked = await calls.lockByControlId('v3:first', tx);
      expect(locked).toMatchObject({ id: call.id, telnyxCallControlId: 'v3:first', facts: { status: 'dialing', answeredAt: null } });
      if (!locked) throw new Error('not locked');
      await calls.saveFacts(locked, { status: 'answered', answeredAt, endedAt: null, hangupCause: null, durationSeconds: null }, 'v3:other', tx);
    });
    expect(await calls.find(call.id)).toMatchObject({ status: 'answered', answeredAt, telnyxCallControlId: 'v3:first', version: 1 });

    // A refused dial fails a call still dialing, and changes nothing once the carrier has it.
    await calls.applyEvent(call.id, { type: 'dial_failed', at: new Date(), cause: 'dial_failed:x' });
    expect(await calls.find(call.id)).toMatchObject({ status: 'answered', version: 1 });
    const refused = newCall(call.numberId);
    await calls.createWithDialJob(refused);
    await calls.applyEvent(refused.id, { type: 'dial_failed', at: new Date(), cause: 'dial_failed:x' });
    expect(await calls.find(refused.id)).toMatchObject({ status: 'failed', hangupCause: 'dial_failed:x', durationSeconds: 0, version: 1 });

    // The end of a call is the customer's event, born once with it: the answered call has none yet.
    const events = await db.selectFrom('customerEvents').select(['type', 'payload']).execute();
    expect(events.map((e) => [e.type, (e.payload as { call: { id: string } }).call.id])).toEqual([['call.failed', refused.id]]);
  });
});

describe('CallPermissionRepository', () => {
  it('keeps the latest window and connected call, and applies a reply under the row lock', async () => {
    const ref = { accountId, numberId: await addNumber(), consumer: '+447700900003' };
    const early = new Date(Date.now() - 2 * HOUR);
    const late = new Date(Date.now() - HOUR);
    await permissions.openWindow(ref, late);
    expect(await permissions.openWindow(ref, early)).toMatchObject({ windowOpenedAt: late });
    await permissions.markConnected(ref, late);
    await permissions.markConnected(ref, early);

    const expiresAt = new Date(Date.now() + 24 * HOUR);
    const reply = { accepted: true, permanent: false, expiresAt, at: new Date() };
    const { before, after } = await permissions.applyReply(ref, reply);
    expect(before.status).toBe('no_permission');
    expect(after).toMatchObject({ status: 'temporary', expiresAt });
    expect(await permissions.find(ref.numberId, ref.consumer)).toMatchObject({ status: 'temporary', expiresAt, lastConnectedCallAt: late });

    // The answer is the customer's event, once: the same answer delivered again sends nothing.
    await permissions.applyReply(ref, reply);
    const events = await db.selectFrom('customerEvents').select('payload').where('type', '=', 'call.permission_request').execute();
    expect(events.map((e) => (e.payload as { permission: unknown }).permission)).toEqual([
      { from: ref.consumer, response: 'accept', isPermanent: false, expirationTimestamp: expiresAt.toISOString(), responseSource: 'user_action' },
    ]);
  });

  it('queues a prompt with its job when Meta allows it, and refuses the next one within a day', async () => {
    const numberId = await addNumber();
    const consumer = '+447700900004';
    const now = new Date();
    expect(await permissions.queuePrompt({ id: newId(), numberId, consumer, bodyText: null, sentAt: now })).toMatchObject({
      ok: false,
      code: 'CUSTOMER_SERVICE_WINDOW_CLOSED',
    });
    await permissions.openWindow({ accountId, numberId, consumer }, now);
    const promptId = newId();
    expect(await permissions.queuePrompt({ id: promptId, numberId, consumer, bodyText: 'May we call?', sentAt: now })).toEqual({ ok: true });
    expect(await permissions.findPrompt(promptId)).toMatchObject({ status: 'queued', bodyText: 'May we call?' });
    expect((await jobs('send-call-permission-request')).map((j) => j.payload)).toContainEqual({ promptId });
    expect(await permissions.queuePrompt({ id: newId(), numberId, consumer, bodyText: null, sentAt: now })).toMatchObject({ ok: false });

    await permissions.markPromptFailed(promptId, 'refused');
    expect(await permissions.countedPromptTimes(numberId, consumer, now)).toEqual([]);
  });
});

describe('CallRepository: inbound calls, recordings, Meta call ids', () => {
  const inbound = (numberId: string, controlId: string, at = new Date()) => ({
    id: newId(at),
    accountId,
    numberId,
    fromNumber: '+14155550000',
    to: '+447700900002',
    forwardTo: 'tel:+14155550199',
    recordingEnabled: true,
    telnyxCallControlId: controlId,
    createdAt: at,
  });

  it('records a consumer call once per control id, with its answer job and call.received, whichever event comes first or twice', async () => {
    const numberId = await addNumber();
    const controlId = `v3:${newId()}`;
    const first = inbound(numberId, controlId);
    const made = await db.transaction().execute((tx) => calls.receiveInbound(first, tx));
    expect(made).toMatchObject({ created: true, call: { id: first.id, direction: 'inbound', to: first.to, facts: { status: 'ringing' } } });
    const again = await db.transaction().execute((tx) => calls.receiveInbound({ ...first, id: newId() }, tx));
    expect(again).toMatchObject({ created: false, call: { id: first.id } });
    expect(await db.selectFrom('calls').where('telnyxCallControlId', '=', controlId).select('id').execute()).toEqual([{ id: first.id }]);
    expect((await jobs('answer-inbound-call')).filter((j) => (j.payload as { callId: string }).callId === first.id)).toHaveLength(1);
    const received = await db.selectFrom('customerEvents').select('payload').where('type', '=', 'call.received').execute();
    expect(received.filter((e) => (e.payload as { call: { id: string } }).call.id === first.id).map((e) => e.payload)).toEqual([
      expect.objectContaining({ call: expect.objectContaining({ direction: 'inbound', from: first.to, forwardTo: 'tel:+14155550199' }) }),
    ]);
    expect(await calls.findToAnswer(first.id)).toMatchObject({ status: 'ringing', telnyxCallControlId: controlId, recordingEnabled: true, numberStatus: 'active' });
  });

  it('keeps the latest recording saved, whatever order the webhooks come in', async () => {
    const numberId = await addNumber();
    const call = inbound(numberId, `v3:${newId()}`);
    const { id } = call;
    await db.transaction().execute((tx) => calls.receiveInbound(call, tx));
    const save = (recordingId: string, at: Date) => db.transaction().execute((tx) => calls.saveRecording(id, recordingId, at, tx));
    await expect(save('rec-2', new Date('2026-12-07T10:02:00Z'))).resolves.toBe(true);
    await expect(save('rec-1', new Date('2026-12-07T10:01:00Z'))).resolves.toBe(false);
    await expect(save('rec-2', new Date('2026-12-07T10:02:00Z'))).resolves.toBe(false);
    expect(await calls.find(id)).toMatchObject({ recordingId: 'rec-2' });
  });

  it("names the number's latest call with that consumer and direction after Meta's id, once, within the window", async () => {
    const numberId = await addNumber();
    const at = new Date('2026-12-07T12:00:00Z');
    const older = inbound(numberId, `v3:${newId()}`, new Date(at.getTime() - 10 * 60_000));
    const recent = inbound(numberId, `v3:${newId()}`, new Date(at.getTime() + 1000));
    for (const call of [older, recent]) await db.transaction().execute((tx) => calls.receiveInbound(call, tx));
    const match = { numberId, consumer: recent.to, direction: 'inbound' as 'inbound' | 'outbound', at, windowMs: 2 * 60_000 };
    const name = (metaCallId: string, over: Partial<typeof match> = {}) => db.transaction().execute((tx) => calls.recordMetaCallId({ ...match, ...over }, metaCallId, tx));
    await expect(name('wacid.a', { direction: 'outbound' })).resolves.toBeNull();
    await expect(name('wacid.a')).resolves.toBe(recent.id);
    await expect(name('wacid.a')).resolves.toBeNull();
    // The older call is outside the window of this report.
    await expect(name('wacid.b')).resolves.toBeNull();
    expect((await calls.find(recent.id))?.metaCallId).toBe('wacid.a');
    expect((await calls.find(older.id))?.metaCallId).toBeNull();
  });
});

describe('CallingSettingsRepository', () => {
  it('writes the wish with a new generation and its job, settings as columns, and settles only the generation acted on', async () => {
    const numberId = await addNumber();
    const requested = await settings.request(numberId, true, { callingForwardTo: 'tel:+14155550199', callingIconCountries: ['GB', 'US'] });
    expect(requested).toMatchObject({ callingEnabled: true, callingStatus: 'enabling', callingGeneration: 1, callingIconCountries: ['GB', 'US'] });
    expect((await jobs('sync-whatsapp-calling')).map((j) => j.payload)).toContainEqual({ numberId });

    const updated = await settings.update(numberId, { callingIconCountries: null, callingRecordingEnabled: true });
    expect(updated).toMatchObject({ callingIconCountries: null, callingRecordingEnabled: true, callingForwardTo: 'tel:+14155550199' });
    expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(requested.updatedAt.getTime());

    await expect(settings.settle(numberId, 0, { callingStatus: 'enabled', callingDetail: null })).resolves.toBe(false);
    await expect(settings.settle(numberId, 1, { callingStatus: 'enabled', callingDetail: null, sipUsername: '14155550000' })).resolves.toBe(true);
    expect(await settings.findForAccount(accountId, numberId)).toMatchObject({ callingStatus: 'enabled', sipUsername: '14155550000', outboundCallingAvailable: true });
    expect(await settings.findForAccount(newId(), numberId)).toBeNull();
  });
});
