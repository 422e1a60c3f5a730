import { Module } from '@nestjs/common';
import { StockWatchRepository } from '@numbers/persistence';
import { StockWatchesController } from './stock-watches.controller';
import { StockWatchesService } from './stock-watches.service';

/** Stock watches: a customer hears `phone_number.stock_available` once a country's numbers are back (docs/webhooks.md). */
@Module({
  controllers: [StockWatchesController],
  providers: [StockWatchRepository, StockWatchesService],
})
export class StockWatchesModule {}
