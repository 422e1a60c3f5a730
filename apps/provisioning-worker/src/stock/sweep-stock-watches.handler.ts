import { Inject, Logger } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import { stockFoundOf, stockOf, stockProbeKey, stockProbesOf, type StockFound, type StockProbe } from '@numbers/domain';
import { JobHandler, type HandlesJob } from '@numbers/messaging';
import { StockWatchRepository, type AnnouncedWatch } from '@numbers/persistence';
import { CARRIER_GATEWAY, type CarrierGateway } from '@numbers/providers';

/** The carrier's largest page: the most numbers one search counts. */
const INVENTORY_PAGE = 100;

export interface StockSweepReport {
  /** Scopes (country, type, area) asked about this run. */
  scopes: number;
  /** Carrier searches made for them. */
  searches: number;
  announced: AnnouncedWatch[];
}

/** Thrown by a run whose carrier searches failed in part, after it announced what it could. */
export class StockSweepFailedError extends Error {
  constructor(readonly failed: Array<{ probe: string; error: string }>) {
    super(`sweep-stock-watches: ${failed.length} carrier search(es) failed: ${failed.map((f) => `${f.probe}: ${f.error}`).join('; ')}`);
    this.name = 'StockSweepFailedError';
  }
}

/**
 * Scheduled: tells stock watches that numbers are back (docs/webhooks.md, "Stock watches").
 * Takes the `STOCK_WATCH_BATCH_SIZE` scopes of open watches least recently asked about, asks the
 * carrier once per (country, type, area) with no transaction open (numbers with SMS, as an order
 * needs for WhatsApp's code), then, for each scope with stock, announces it to every watch of
 * the scope and ends them (`StockWatchRepository.announce`: each watch's event and its end in one
 * transaction). A scope whose search failed is not told this run (it waits its turn again); the
 * run goes on, then fails naming the searches.
 */
@JobHandler('sweep-stock-watches')
export class SweepStockWatchesHandler implements HandlesJob<'sweep-stock-watches'> {
  private readonly logger = new Logger(SweepStockWatchesHandler.name);

  constructor(
    private readonly config: AppConfig,
    private readonly watches: StockWatchRepository,
    @Inject(CARRIER_GATEWAY) private readonly carrier: CarrierGateway,
  ) {}

  async handle(): Promise<StockSweepReport> {
    const scopes = await this.watches.claimScopes(this.config.stockWatches.batchSize, new Date());
    const probes = stockProbesOf(scopes);
    const found = new Map<string, StockFound>();
    const failed: Array<{ probe: string; error: string }> = [];
    for (const probe of probes) {
      try {
        found.set(stockProbeKey(probe), await this.search(probe));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        failed.push({ probe: stockProbeKey(probe), error: message });
        this.logger.warn({ probe, err: message }, 'stock sweep: carrier search failed');
      }
    }
    const announced: AnnouncedWatch[] = [];
    for (const scope of scopes) {
      const stock = stockOf(scope, found);
      if (!stock) continue;
      const ended = await this.watches.announce(scope, stock, new Date());
      announced.push(...ended);
      if (ended.length > 0) this.logger.log({ scope, stock, watches: ended.map((w) => w.watchId) }, `stock sweep: back in stock, ${ended.length} watch(es) told`);
    }
    if (failed.length > 0) throw new StockSweepFailedError(failed);
    return { scopes: scopes.length, searches: probes.length, announced };
  }

  private async search(probe: StockProbe): Promise<StockFound> {
    const numbers = await this.carrier.searchAvailableNumbers({
      country: probe.country,
      numberType: probe.numberType,
      ...(probe.areaCode ? { areaCode: probe.areaCode } : {}),
      features: ['sms'],
      limit: INVENTORY_PAGE,
    });
    return stockFoundOf(numbers.map((number) => number.locality));
  }
}
