import { newId } from '@numbers/domain';
import { Database, PersistenceModule, StockWatchRepository, WebhookEndpointRepository } from '@numbers/persistence';
import { createTestAccount, startHandlerTestBed, type HandlerTestBed, type SimulatorProcess } from '@numbers/test-support';
import { StockSweepFailedError, SweepStockWatchesHandler } from './sweep-stock-watches.handler';

jest.setTimeout(60_000);

/**
 * Integration: the `sweep-stock-watches` job against a real database of this file and the
 * simulated carrier, whose inventory of a country is emptied and restored through its control
 * API (`/_sim/telnyx/countries/:code/unavailable|available`).
 */
describe('SweepStockWatchesHandler', () => {
  let bed: HandlerTestBed;
  let sim: SimulatorProcess;
  let db: Database;
  let watches: StockWatchRepository;
  let sweep: SweepStockWatchesHandler;
  let accountId: string;
  let webhookId: string;

  beforeAll(async () => {
    bed = await startHandlerTestBed({ imports: [PersistenceModule], providers: [StockWatchRepository, WebhookEndpointRepository, SweepStockWatchesHandler] });
    sim = bed.sim;
    db = bed.moduleRef.get(Database);
    watches = bed.moduleRef.get(StockWatchRepository);
    sweep = bed.moduleRef.get(SweepStockWatchesHandler);
    ({ accountId } = await createTestAccount(db, { name: 'Acme Plumbing' }));
    webhookId = (
      await bed.moduleRef.get(WebhookEndpointRepository).create({
        id: newId(),
        accountId,
        name: 'stock',
        url: 'http://127.0.0.1:9/hook',
        secretSealed: 'sealed',
        events: ['phone_number.stock_available'],
        isActive: true,
        customHeaders: {},
      })
    ).id;
  });

  afterAll(() => bed?.stop());

  afterEach(async () => {
    await sim.delete('/_sim/faults');
    for (const country of ['GB', 'CA']) await sim.post(`/_sim/telnyx/countries/${country}/available`, {});
    await db.deleteFrom('stockWatches').execute();
  });

  const watch = async (country: string, numberType: 'local' | 'mobile' | null = null, areaCode: string | null = null) => {
    const result = await watches.create(accountId, { country, numberType, areaCode }, 100);
    if (result.outcome !== 'created') throw new Error(result.outcome);
    return result.watch.id;
  };
  const stockEvents = () =>
    db.selectFrom('customerEvents').select(['id', 'payload']).where('accountId', '=', accountId).where('type', '=', 'phone_number.stock_available').execute();
  const searches = async () =>
    (await sim.get<{ requests: Array<{ route: string | null; query: Record<string, unknown> }> }>('/_sim/requests?provider=telnyx')).requests.filter(
      (r) => r.route === '/v2/available_phone_numbers',
    ).length;

  it('tells each watch once when stock returns, then the watch is gone and a later run sends nothing', async () => {
    await sim.post('/_sim/telnyx/countries/GB/unavailable', {});
    const anyType = await watch('GB');
    const mobile = await watch('GB', 'mobile');
    const london = await watch('GB', 'local', '20');

    const before = await searches();
    expect(await sweep.handle()).toEqual({ scopes: 3, searches: 5, announced: [] });
    // Four types for the watch of any type (mobile shared with the mobile watch), one for London.
    expect((await searches()) - before).toBe(5);
    expect(await stockEvents()).toEqual([]);
    expect((await watches.listForAccount(accountId)).map((w) => w.id).sort()).toEqual([anyType, mobile, london].sort());

    await sim.post('/_sim/telnyx/countries/GB/available', {});
    const report = await sweep.handle();

    expect(report.announced.map((w) => w.watchId).sort()).toEqual([anyType, mobile, london].sort());
    const events = await stockEvents();
    expect(events.map((e) => e.payload)).toEqual(
      expect.arrayContaining([
        {
          id: expect.any(String),
          event: 'phone_number.stock_available',
          stock: {
            country: 'GB',
            types: [
              { numberType: 'local', availableCount: 100 },
              { numberType: 'mobile', availableCount: 50 },
            ],
          },
          timestamp: expect.any(String),
        },
        expect.objectContaining({ stock: { country: 'GB', types: [{ numberType: 'mobile', availableCount: 50 }] } }),
        expect.objectContaining({ stock: { country: 'GB', types: [{ numberType: 'local', availableCount: 80 }], areaCode: '20', areaName: 'London' } }),
      ]),
    );
    expect(events).toHaveLength(3);
    const deliveries = await db.selectFrom('outbox').select('payload').where('name', '=', 'deliver-webhook').execute();
    expect(deliveries.map((d) => d.payload)).toEqual(expect.arrayContaining(events.map((e) => ({ eventId: e.id, webhookId }))));
    expect(await watches.listForAccount(accountId)).toEqual([]);

    expect(await sweep.handle()).toEqual({ scopes: 0, searches: 0, announced: [] });
    expect(await stockEvents()).toHaveLength(3);
  });

  it('two runs at once tell each watch once', async () => {
    const ids = [await watch('CA'), await watch('CA', 'local', '416'), await watch('GB', 'mobile')];
    const before = (await stockEvents()).length;

    const [first, second] = await Promise.all([sweep.handle(), sweep.handle()]);

    expect([...first.announced, ...second.announced].map((w) => w.watchId).sort()).toEqual(ids.sort());
    expect((await stockEvents()).length - before).toBe(3);
  });

  it('a failed carrier search tells nobody of its scope and fails the run; the next run does', async () => {
    const toronto = await watch('CA', 'local', '416');
    await sim.post('/_sim/faults', { provider: 'telnyx', method: 'GET', path: '/v2/available_phone_numbers', action: 'fail', status: 422, times: 1 });
    const before = (await stockEvents()).length;

    await expect(sweep.handle()).rejects.toThrow(StockSweepFailedError);
    expect((await stockEvents()).length).toBe(before);
    expect((await watches.listForAccount(accountId)).map((w) => w.id)).toEqual([toronto]);

    const { announced } = await sweep.handle();
    expect(announced.map((w) => w.watchId)).toEqual([toronto]);
    const told = (await stockEvents()).find((e) => e.id === announced[0].eventId);
    expect(told?.payload).toMatchObject({ stock: { country: 'CA', types: [{ numberType: 'local' }], areaCode: '416', areaName: 'Toronto' } });
  });
});
