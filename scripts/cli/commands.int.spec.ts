import { AppConfig } from '@numbers/config';
import { newId } from '@numbers/domain';
import { ApiKeyRepository, Database, FailedJobRepository, WebhookEventRepository, WebhookInbox, type NumberHistory } from '@numbers/persistence';
import { createTestAccountWithKey, createTestDatabase, createTestProfile, testEnv, testRedisPrefix, type TestDatabase } from '@numbers/test-support';
import { withDatabase } from '../lib/database';
import { COMMANDS, UsageError } from './commands';

let db: TestDatabase;
let config: AppConfig;
let database: Database;

beforeAll(async () => {
  db = await createTestDatabase();
  config = AppConfig.fromEnv(testEnv({ DATABASE_URL: db.url, REDIS_PREFIX: testRedisPrefix() }));
  database = new Database(config);
});

afterAll(async () => {
  await database?.destroy();
  await db?.drop();
});

/** Runs a command as `npm run cli` does, on this test's database; `T` is what the test reads of its result. */
const run = <T = unknown>(name: string, positionals: string[] = [], options: Record<string, string | boolean> = {}): Promise<T> =>
  withDatabase((persistence) => COMMANDS[name](persistence, { options, positionals }), config) as Promise<T>;

type FailedJobRow = { id: string; status: string };

const REDRIVE_DELAYS = [60_000];
let jobSeq = 0;
const fail = (reason: 'exhausted' | 'refused', name = 'order-number') =>
  new FailedJobRepository(database).record(
    { jobId: `${name}.${++jobSeq}`, name, payload: { numberId: newId() }, reason, attempts: 3, lastError: `boom ${jobSeq}` },
    REDRIVE_DELAYS,
  );
const outboxRow = (id: string) => database.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('account:disable / account:enable', () => {
  it("stops the account's API keys at once, and lets them work again when enabled", async () => {
    const account = await createTestAccountWithKey(database);
    const prefix = account.apiKey.split('_')[1];
    const keys = new ApiKeyRepository(database);
    await expect(keys.findActiveByPrefix(prefix)).resolves.toMatchObject({ accountId: account.accountId });

    const disabled = await run<{ disabledAt: unknown }>('account:disable', [account.accountId]);
    expect(disabled).toMatchObject({ accountId: account.accountId, disabled: true });
    expect(disabled.disabledAt).toBeInstanceOf(Date);
    await expect(keys.findActiveByPrefix(prefix)).resolves.toBeNull();
    // Disabling again keeps when it was first disabled.
    await expect(run('account:disable', [account.accountId])).resolves.toEqual(disabled);

    await expect(run('account:enable', [account.accountId])).resolves.toEqual({ accountId: account.accountId, disabled: false, disabledAt: null });
    await expect(keys.findActiveByPrefix(prefix)).resolves.toMatchObject({ accountId: account.accountId });
  });

  it('refuses an unknown or malformed account id', async () => {
    await expect(run('account:disable', [newId()])).rejects.toThrow(/no account/);
    await expect(run('account:disable', ['acc_1'])).rejects.toThrow(UsageError);
    await expect(run('account:disable', [])).rejects.toThrow(/expected one argument/);
  });
});

describe('jobs:failed / jobs:retry', () => {
  it('lists failures newest first, narrowed by status (failed-jobs:list is the same command)', async () => {
    const waiting = await fail('exhausted');
    const abandoned = await fail('refused');
    const all = await run<FailedJobRow[]>('jobs:failed');
    expect(all.map((f) => f.id).slice(0, 2)).toEqual([abandoned.id, waiting.id]);
    const onlyAbandoned = await run<FailedJobRow[]>('jobs:failed', [], { status: 'abandoned' });
    expect(onlyAbandoned.map((f) => f.id)).toContain(abandoned.id);
    expect(onlyAbandoned.every((f) => f.status === 'abandoned')).toBe(true);
    await expect(run('failed-jobs:list', [], { status: 'abandoned' })).resolves.toEqual(onlyAbandoned);
    await expect(run('jobs:failed', [], { status: 'lost' })).rejects.toThrow(/--status must be one of/);
  });

  it('retries one failure through a new outbox row, once', async () => {
    const abandoned = await fail('refused', 'register-whatsapp');
    const retried = await run<{ outboxId: string }>('jobs:retry', [abandoned.id]);
    expect(retried).toMatchObject({ id: abandoned.id, name: 'register-whatsapp', status: 'redriven', redrives: 1 });
    const row = await outboxRow(retried.outboxId);
    expect(row).toMatchObject({ kind: 'job', name: 'register-whatsapp', payload: abandoned.payload, publishedAt: null });
    await expect(run('jobs:retry', [abandoned.id])).rejects.toThrow(`no failed job ${abandoned.id} waiting or abandoned`);
    await expect(run('jobs:retry', ['x1'])).rejects.toThrow(UsageError);
  });

  it('--all retries every waiting or abandoned failure, and nothing else', async () => {
    const [a, b, c] = [await fail('exhausted'), await fail('refused'), await fail('refused')];
    await run('jobs:retry', [c.id]);
    const retried = await run<{ redriven: number; jobs: { id: string }[] }>('jobs:retry', [], { all: true });
    expect(retried.jobs.map((j) => j.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(retried.jobs.map((j) => j.id)).not.toContain(c.id);
    expect(retried.redriven).toBe(retried.jobs.length);
    await expect(run('jobs:failed', [], { status: 'waiting' })).resolves.toEqual([]);
    await expect(run('jobs:failed', [], { status: 'abandoned' })).resolves.toEqual([]);
    await expect(run('jobs:retry', [], { all: true })).resolves.toEqual({ redriven: 0, jobs: [] });
    await expect(run('jobs:retry', [a.id], { all: true })).rejects.toThrow(/not both/);
  });
});

describe('webhook:reprocess', () => {
  const inbox = () => new WebhookInbox(database);

  it('makes a processed event processable again and queues its job, by our id or by the provider event id', async () => {
    const eventId = `evt_${newId()}`;
    const { stored } = await inbox().record('stripe', JSON.stringify({ id: eventId, type: 'invoice.paid' }), [{ eventId, eventType: 'invoice.paid' }]);
    const id = stored[0].id;
    await new WebhookEventRepository(database).markProcessed(id, 'failed', 'Stripe was down');
    const jobsBefore = await database.selectFrom('outbox').select('id').where('name', '=', 'process-stripe-event').execute();

    const done = await run('webhook:reprocess', [id]);
    expect(done).toEqual({ id, provider: 'stripe', eventId, eventType: 'invoice.paid', previousOutcome: 'failed', job: 'process-stripe-event' });
    await expect(database.selectFrom('webhookEvents').selectAll().where('id', '=', id).executeTakeFirstOrThrow()).resolves.toMatchObject({
      processedAt: null,
      outcome: null,
      detail: null,
    });
    const jobs = await database.selectFrom('outbox').selectAll().where('name', '=', 'process-stripe-event').orderBy('id').execute();
    expect(jobs).toHaveLength(jobsBefore.length + 1);
    expect(jobs[jobs.length - 1].payload).toEqual({ webhookEventId: id });

    // As number:history shows it in a cause.
    await expect(run('webhook:reprocess', [`webhook:stripe:${eventId}`])).resolves.toMatchObject({ id, previousOutcome: null });
    await expect(run('webhook:reprocess', [`stripe:${eventId}`])).resolves.toMatchObject({ id });
  });

  it('refuses an event no worker acts on, and one not stored', async () => {
    const eventId = `evt_${newId()}`;
    const { stored } = await inbox().record('stripe', '{}', [{ eventId, eventType: 'customer.updated' }]);
    await expect(run('webhook:reprocess', [stored[0].id])).rejects.toThrow('no worker acts on customer.updated: nothing to run');
    await expect(run('webhook:reprocess', [newId()])).rejects.toThrow(/no stored webhook event/);
    await expect(run('webhook:reprocess', ['stripe:evt_missing'])).rejects.toThrow('no stored stripe event evt_missing');
    await expect(run('webhook:reprocess', ['paypal:1'])).rejects.toThrow(UsageError);
  });
});

describe('number:history', () => {
  it("shows the number's transitions with cause and actor, its profile moves, its jobs and the provider events that touched it, in time order", async () => {
    const { accountId, profileId } = await createTestAccountWithKey(database);
    const { profileId: otherProfile } = await createTestProfile(database, accountId, 'Second brand');
    const numberId = newId();
    const t = (seconds: number) => new Date(Date.UTC(2026, 11, 1, 12, 0, seconds));
    await database
      .insertInto('phoneNumbers')
      .values({ id: numberId, accountId, profileId, country: 'US', monthlyCents: 300, status: 'verifying', phoneNumber: '+14155550199', telnyxOrderId: 'ord_77', createdAt: t(0) })
      .execute();
    const history = [
      { event: 'payment_confirmed', fromStatus: 'pending_payment', toStatus: 'provisioning', cause: 'webhook:stripe:evt_paid_1', actor: 'stripe', at: t(1) },
      { event: 'number_ordered', fromStatus: 'provisioning', toStatus: 'verifying', cause: 'webhook:telnyx:order-evt-1: order ord_77 success', actor: 'telnyx', at: t(5) },
      { event: 'number_ordered', fromStatus: 'verifying', toStatus: 'verifying', applied: false, cause: 'job resume-stalled-provisioning.9', actor: 'system', at: t(7) },
    ] as const;
    for (const row of history) await database.insertInto('numberStatusHistory').values({ numberId, ...row }).execute();
    await database.insertInto('numberProfileMoves').values({ numberId, fromProfileId: profileId, toProfileId: otherProfile, cause: 'request req-1', actor: 'customer', at: t(8) }).execute();
    const [orderJob] = await database
      .insertInto('outbox')
      .values([
        { kind: 'job', name: 'order-number', payload: JSON.stringify({ numberId }), createdAt: t(2), publishedAt: t(2), finishedAt: t(4) },
        { kind: 'job', name: 'order-number', payload: JSON.stringify({ numberId: newId() }), createdAt: t(2) },
      ])
      .returning('id')
      .execute();
    const events = [
      { provider: 'stripe', eventId: 'evt_paid_1', eventType: 'checkout.session.completed', rawBody: '{"metadata":{}}', receivedAt: t(1) },
      { provider: 'telnyx', eventId: 'order-evt-1', eventType: 'number_order.complete', rawBody: '{}', receivedAt: t(4) },
      { provider: 'telnyx', eventId: 'sms-1', eventType: 'message.received', rawBody: '{"to":[{"phone_number":"+14155550199"}]}', receivedAt: t(6) },
      // Not this number: a longer E.164 that contains it, and an event of nobody's.
      { provider: 'telnyx', eventId: 'sms-2', eventType: 'message.received', rawBody: '{"to":[{"phone_number":"+141555501991"}]}', receivedAt: t(6) },
      { provider: 'stripe', eventId: 'evt_other', eventType: 'invoice.paid', rawBody: '{}', receivedAt: t(3) },
    ] as const;
    for (const e of events) await database.insertInto('webhookEvents').values({ id: newId(), processedAt: e.receivedAt, outcome: 'applied', ...e }).execute();

    const shown = await run<NumberHistory>('number:history', [numberId]);
    expect(shown.number).toEqual({ id: numberId, accountId, status: 'verifying', phoneNumber: '+14155550199', createdAt: t(0) });
    expect(shown.entries.map((e) => [e.at.getTime() - t(0).getTime(), e.kind, e.kind === 'transition' ? e.event : e.kind === 'job' ? e.name : e.kind === 'webhook' ? e.eventId : e.toProfileId])).toEqual([
      [1000, 'transition', 'payment_confirmed'],
      [1000, 'webhook', 'evt_paid_1'],
      [2000, 'job', 'order-number'],
      [4000, 'webhook', 'order-evt-1'],
      [5000, 'transition', 'number_ordered'],
      [6000, 'webhook', 'sms-1'],
      [7000, 'transition', 'number_ordered'],
      [8000, 'profile_move', otherProfile],
    ]);
    expect(shown.entries[0]).toMatchObject({ from: 'pending_payment', to: 'provisioning', cause: 'webhook:stripe:evt_paid_1', actor: 'stripe', applied: true });
    expect(shown.entries[2]).toMatchObject({ outboxId: orderJob.id, finishedAt: t(4), failure: null });
    expect(shown.entries[6]).toMatchObject({ applied: false, actor: 'system' });
    expect(shown.entries[7]).toMatchObject({ fromProfileId: profileId, cause: 'request req-1', actor: 'customer' });

    await expect(run('number:history', [newId()])).rejects.toThrow(/no number/);
    await expect(run('number:history', ['+14155550199'])).rejects.toThrow(UsageError);
  });
});
