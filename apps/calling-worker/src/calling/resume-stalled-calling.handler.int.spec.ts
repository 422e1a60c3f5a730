import { CALL_STATE_LOST, newId } from '@numbers/domain';
import { CallingSettingsRepository, CallRepository, Database, PersistenceModule, SipCredentialSealer, StuckNumberSweep, StuckNumbersRepository } from '@numbers/persistence';
import { createTestAccount, startHandlerTestBed, type HandlerTestBed, type SimulatorProcess } from '@numbers/test-support';
import { ResumeStalledCallingHandler } from './resume-stalled-calling.handler';
import { SyncWhatsAppCallingHandler } from './sync-whatsapp-calling.handler';

jest.setTimeout(60_000);

const HOUR = 3600_000;

/**
 * Integration: the `resume-stalled-calling` sweep against a real database of this file and the
 * provider simulator. The stuck situations are made on purpose: calling asked on an hour ago
 * whose `sync-whatsapp-calling` job was lost, and calls left `dialing` or `ringing` for an hour
 * (their dial job or the carrier's webhooks lost).
 */
describe('ResumeStalledCallingHandler', () => {
  let bed: HandlerTestBed;
  let sim: SimulatorProcess;
  let db: Database;
  let sweep: ResumeStalledCallingHandler;
  let accountId: string;
  let profileId: string;

  beforeAll(async () => {
    bed = await startHandlerTestBed({
      imports: [PersistenceModule],
      providers: [ResumeStalledCallingHandler, StuckNumbersRepository, StuckNumberSweep, CallRepository, CallingSettingsRepository, SipCredentialSealer, SyncWhatsAppCallingHandler],
    });
    ({ sim } = bed);
    db = bed.moduleRef.get(Database);
    sweep = bed.moduleRef.get(ResumeStalledCallingHandler);
    ({ accountId, profileId } = await createTestAccount(db));
  });

  afterAll(() => bed?.stop());

  async function syncJobs(numberId: string): Promise<number> {
    const rows = await db.selectFrom('outbox').selectAll().where('kind', '=', 'job').where('name', '=', 'sync-whatsapp-calling').execute();
    return rows.filter((r) => (r.payload as { numberId: string }).numberId === numberId).length;
  }

  it('queues sync-whatsapp-calling again for calling left enabling, once; the job then enables it', async () => {
    const [phone, metaId, telnyxId] = ['+15550601001', '106600000060001', '4300000000006001'];
    await sim.post('/_sim/telnyx/numbers', { id: telnyxId, phoneNumber: phone, connectionId: 'default-voice' });
    await sim.post('/_sim/meta/numbers', { id: metaId, displayPhoneNumber: phone });
    const id = newId();
    await db
      .insertInto('phoneNumbers')
      .values({ id, accountId, profileId, phoneNumber: phone, country: 'US', status: 'active', monthlyCents: 300, telnyxNumberId: telnyxId, metaPhoneNumberId: metaId })
      .execute();
    await bed.moduleRef.get(CallingSettingsRepository).request(id, true, {});
    // Not stalled yet: the customer just asked.
    await expect(sweep.handle({})).resolves.toMatchObject({ acted: [], failed: [] });
    // The job the request queued was lost an hour ago.
    await db.updateTable('phoneNumbers').set({ callingRequestedAt: new Date(Date.now() - HOUR) }).where('id', '=', id).execute();

    await expect(sweep.handle({})).resolves.toMatchObject({
      acted: [{ numberId: id, kind: 'calling_sync_stalled', action: 'calling still enabling: sync-whatsapp-calling again' }],
      failed: [],
    });
    expect(await syncJobs(id)).toBe(2);
    await expect(sweep.handle({})).resolves.toMatchObject({ acted: [], failed: [] });
    expect(await syncJobs(id)).toBe(2);

    // The job the outbox publishes carries out the wish.
    const ctx = { jobId: 'sync-whatsapp-calling.1', name: 'sync-whatsapp-calling' as const, queue: 'calling' as const, attempt: 1, maxAttempts: 10 };
    await expect(bed.moduleRef.get(SyncWhatsAppCallingHandler).handle({ numberId: id }, ctx)).resolves.toEqual({ status: 'enabled' });
    expect(await db.selectFrom('phoneNumbers').select('callingStatus').where('id', '=', id).executeTakeFirstOrThrow()).toEqual({ callingStatus: 'enabled' });
  });

  it('fails calls left dialing or ringing past CALL_STALLED_MS, once, with the customer told; leaves answered and young calls alone', async () => {
    const numberId = newId();
    await db.insertInto('phoneNumbers').values({ id: numberId, accountId, profileId, phoneNumber: '+15550601002', country: 'US', status: 'active', monthlyCents: 300 }).execute();
    const call = async (status: 'dialing' | 'ringing' | 'answered', ageMs: number): Promise<string> => {
      const id = newId();
      const createdAt = new Date(Date.now() - ageMs);
      await db
        .insertInto('calls')
        .values({ id, accountId, numberId, direction: 'outbound', status, to: '+14155550100', fromNumber: '+15550601002', createdAt, answeredAt: status === 'answered' ? createdAt : null })
        .execute();
      return id;
    };
    const dialing = await call('dialing', HOUR);
    const ringing = await call('ringing', HOUR);
    const answered = await call('answered', HOUR);
    const young = await call('ringing', 60_000);

    const first = await sweep.handle({});
    expect(first.calls).toEqual([
      { callId: dialing, status: 'failed' },
      { callId: ringing, status: 'failed' },
    ]);
    const rows = await db.selectFrom('calls').selectAll().where('numberId', '=', numberId).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const id of [dialing, ringing]) expect(byId.get(id)).toMatchObject({ status: 'failed', hangupCause: CALL_STATE_LOST, durationSeconds: 0, endedAt: expect.any(Date) });
    expect(byId.get(answered)?.status).toBe('answered');
    expect(byId.get(young)?.status).toBe('ringing');
    const told = await db.selectFrom('customerEvents').selectAll().where('accountId', '=', accountId).execute();
    expect(told.filter((e) => e.type === 'call.failed')).toHaveLength(2);

    const second = await sweep.handle({});
    expect(second.calls).toEqual([]);
    expect((await db.selectFrom('customerEvents').selectAll().where('accountId', '=', accountId).execute()).filter((e) => e.type === 'call.failed')).toHaveLength(2);
  });
});
