import { Injectable } from '@nestjs/common';
import { DomainError, invalidParam, MAX_STOCK_WATCHES_PER_ACCOUNT } from '@numbers/domain';
import { StockWatchRepository } from '@numbers/persistence';
import type { CreateStockWatchBody } from './stock-watches.params';
import { presentStockWatch } from './stock-watch.presenter';

/**
 * `/v1/phone-numbers/stock-watches`: an account's watches. The carrier is not asked here: the
 * sweep (`sweep-stock-watches`) tells a watch once its stock is there, at its next run.
 */
@Injectable()
export class StockWatchesService {
  constructor(private readonly watches: StockWatchRepository) {}

  async list(accountId: string) {
    return { watches: (await this.watches.listForAccount(accountId)).map(presentStockWatch) };
  }

  /** The watch, and whether it is new: the same scope again answers the account's existing watch. */
  async create(accountId: string, body: CreateStockWatchBody) {
    const result = await this.watches.create(accountId, body, MAX_STOCK_WATCHES_PER_ACCOUNT);
    switch (result.outcome) {
      case 'unknown_country':
        throw invalidParam('country', `Invalid country: we do not sell numbers in ${body.country} (see GET /v1/whatsapp/phone-numbers/countries)`);
      case 'limit_reached':
        throw new DomainError('STOCK_WATCH_LIMIT_REACHED', `An account may hold ${result.limit} stock watches: delete one first`);
      case 'created':
      case 'existing':
        return { watch: presentStockWatch(result.watch), created: result.outcome === 'created' };
    }
  }

  async delete(accountId: string, id: string) {
    if (!(await this.watches.delete(accountId, id))) throw new DomainError('NOT_FOUND', 'Stock watch not found', { param: 'id' });
    return { deleted: true };
  }
}
