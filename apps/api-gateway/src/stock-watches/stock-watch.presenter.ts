import type { StockWatchView } from '@numbers/persistence';

/** A watch as the SDK's `PhoneNumberStockWatch`. */
export function presentStockWatch(watch: StockWatchView) {
  return {
    id: watch.id,
    country: watch.country,
    countryName: watch.countryName,
    numberType: watch.numberType,
    areaCode: watch.areaCode,
    createdAt: watch.createdAt.toISOString(),
  };
}
