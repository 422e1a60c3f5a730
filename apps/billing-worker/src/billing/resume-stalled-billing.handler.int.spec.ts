import { newId } from '@numbers/domain';
import { BILLING_STARTED, Database, PersistenceModule, StuckNumberSweep, StuckNumbersRepository } from '@numbers/persistence';
import { createTestAccount, startHandlerTestBed, type HandlerTestBed } from '@numbers/test-support';
import { ResumeStalledBillingHandler } from './resume-stalled-billing.handler';

jest.setTimeout(60_000);

const HOUR = 3600_000;

/**
 * Integration: the `resume-stalled-billing` sweep against a real database of this file. The stuck
 * situation is made on purpose: a number active for an hour whose `start-billing` job was lost
 * (no `charge` ledger row for it on the account's subscription).
 */
describe('ResumeStalledBillingHandler', () => {
  let bed: HandlerTestBed;
  let db: Database;
  let sweep: ResumeStalledBillingHandler;
  let accountId: string;
  let profileId: string;
  const subscriptionId = `sub_${newId()}`;

  beforeAll(async () => {
    bed = await startHandlerTestBed({
      imports: [PersistenceModule],
      providers: [ResumeStalledBillingHandler, StuckNumbersRepository, StuckNumberSweep],
    });
    db = bed.moduleRef.get(Database);
    sweep = bed.moduleRef.get(ResumeStalledBillingHandler);
    ({ accountId, profileId } = await createTestAccount(db));
    await db.insertInto('billingAccounts').values({ accountId, stripeCustomerId: `cus_${accountId}`, stripeSubscriptionId: subscriptionId }).execute();
  });

  afterAll(() => bed?.stop());

  async function activeNumber(ageMs: number): Promise<string> {
    const id = newId();
    const at = new Date(Date.now() - ageMs);
    await db.insertInto('phoneNumbers').values({ id, accountId, profileId, country: 'US', status: 'active', monthlyCents: 300, activatedAt: at, createdAt: at }).execute();
    return id;
  }

  async function startBillingJobs(): Promise<string[]> {
    const rows = await db.selectFrom('outbox').selectAll().where('kind', '=', 'job').where('name', '=', 'start-billing').orderBy('id').execute();
    return rows.map((r) => (r.payload as { numberId: string }).numberId);
  }

  it('queues start-billing again for an active number whose billing never started, once; leaves billed and young numbers alone', async () => {
    const lost = await activeNumber(HOUR);
    const billed = await activeNumber(HOUR);
    await db
      .insertInto('ledgerEntries')
      .values({ id: newId(), accountId, numberId: billed, kind: BILLING_STARTED, amountCents: 300, stripeObjectId: 'in_1', subscriptionId, invoiceId: 'in_1', entryKey: `charge-${billed}`, description: 'started' })
      .execute();
    await activeNumber(60_000); // active for a minute: its start-billing may still be on its way

    await expect(sweep.handle({})).resolves.toEqual({
      acted: [{ numberId: lost, kind: 'billing_not_started', action: 'active without billing started: start-billing again' }],
      failed: [],
    });
    expect(await startBillingJobs()).toEqual([lost]);

    // A second run does nothing more: the number is left alone for the threshold.
    await expect(sweep.handle({})).resolves.toEqual({ acted: [], failed: [] });
    expect(await startBillingJobs()).toEqual([lost]);
  });
});
