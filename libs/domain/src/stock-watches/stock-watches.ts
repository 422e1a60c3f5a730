import { STOCK_AVAILABLE_EVENT_TYPE, type StockAvailablePayload } from '@numbers/contracts';
import { newId } from '../ids/ids';

/** The number types a watch may name (the SDK's `PhoneNumberStockWatch.numberType`), in the order an event lists them. */
export const STOCK_NUMBER_TYPES = ['local', 'mobile', 'national', 'toll_free'] as const;
export type StockNumberType = (typeof STOCK_NUMBER_TYPES)[number];

/** The most watches an account may hold at once: enough for every type and many areas of several countries. */
export const MAX_STOCK_WATCHES_PER_ACCOUNT = 100;

/** What a watch waits for: numbers of a country, of one type or any (null), in one area or any (null). */
export interface StockScope {
  country: string;
  numberType: StockNumberType | null;
  areaCode: string | null;
}

/** One question to the carrier: its numbers of a country and type, in an area or any. */
export interface StockProbe {
  country: string;
  numberType: StockNumberType;
  areaCode: string | null;
}

/** What one probe found: how many numbers the carrier offered, and the name most of them give their place. */
export interface StockFound {
  count: number;
  areaName: string | null;
}

export function stockProbeKey(probe: StockProbe): string {
  return `${probe.country}:${probe.numberType}:${probe.areaCode ?? ''}`;
}

function probesOfScope(scope: StockScope): StockProbe[] {
  const types = scope.numberType ? [scope.numberType] : STOCK_NUMBER_TYPES;
  return types.map((numberType) => ({ country: scope.country, numberType, areaCode: scope.areaCode }));
}

/**
 * The carrier searches that answer every scope, each asked once: a scope of any type needs one
 * per type (the carrier's answer does not say a number's type, and the event lists each type
 * with stock), and shares them with the scopes that name a type.
 */
export function stockProbesOf(scopes: StockScope[]): StockProbe[] {
  const probes = new Map<string, StockProbe>();
  for (const probe of scopes.flatMap(probesOfScope)) probes.set(stockProbeKey(probe), probe);
  return [...probes.values()];
}

/**
 * The stock a watch of `scope` is told about, from what the probes found (by `stockProbeKey`):
 * the types with numbers, or null when none has any. Also null when a probe of the scope has no
 * answer (the carrier failed it): a watch of any type is never told of part of its types.
 */
export function stockOf(scope: StockScope, found: ReadonlyMap<string, StockFound>): StockAvailablePayload['stock'] | null {
  const inStock: Array<{ numberType: StockNumberType; found: StockFound }> = [];
  for (const probe of probesOfScope(scope)) {
    const answer = found.get(stockProbeKey(probe));
    if (!answer) return null;
    if (answer.count > 0) inStock.push({ numberType: probe.numberType, found: answer });
  }
  if (inStock.length === 0) return null;
  const areaName = scope.areaCode ? inStock[0].found.areaName : null;
  return {
    country: scope.country,
    types: inStock.map((entry) => ({ numberType: entry.numberType, availableCount: entry.found.count })),
    ...(scope.areaCode ? { areaCode: scope.areaCode } : {}),
    ...(areaName ? { areaName } : {}),
  };
}

/** What a probe found, from the localities of the numbers the carrier offered (null where it gave none). */
export function stockFoundOf(localities: Array<string | null>): StockFound {
  const counts = new Map<string, number>();
  for (const locality of localities) if (locality) counts.set(locality, (counts.get(locality) ?? 0) + 1);
  const [first] = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return { count: localities.length, areaName: first ? first[0] : null };
}

/** The `phone_number.stock_available` event of one watch, born at `at`. */
export function stockAvailableEventOf(stock: StockAvailablePayload['stock'], at: Date): StockAvailablePayload {
  return { id: newId(at), event: STOCK_AVAILABLE_EVENT_TYPE, stock, timestamp: at.toISOString() };
}
