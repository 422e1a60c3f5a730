import type { NumberStatus } from '@numbers/contracts';
import { isBillable } from '@numbers/domain';
import { runSql, type SqlTx } from '@numbers/persistence';
import { NUMBER_PRICE_CURRENCY, type StripeGateway, type SubscriptionItemChange, type SubscriptionSnapshot } from '@numbers/providers';
import { Prisma } from '@prisma/client';

/** One subscription item of an account: the numbers at one monthly price (`subscription_items`). */
export interface PriceItem {
  monthlyCents: number;
  priceId: string;
  itemId: string;
  /** What was last set (or seen) at Stripe. */
  quantity: number;
}

/** What each price's item should hold: monthly cents → count of billable numbers at that price. */
export type PriceQuantities = Map<number, number>;

/** How many of an account's numbers are in one status, paid first or not, at one price. */
export interface NumberCount {
  status: NumberStatus;
  paidFirst: boolean;
  monthlyCents: number;
  count: number;
}

function numberCountsSql(accountId: string): Prisma.Sql {
  return Prisma.sql`
    SELECT status::text AS status, paid_first AS "paidFirst", monthly_cents AS "monthlyCents", count(*)::int AS count
    FROM phone_numbers WHERE account_id = ${accountId}
    GROUP BY status, paid_first, monthly_cents`;
}

/** The account's `NumberCount`s as one JSON array, for a statement that reads more with them. */
export function numberCountsJson(accountId: string): Prisma.Sql {
  return Prisma.sql`(SELECT coalesce(json_agg(n), '[]') FROM (${numberCountsSql(accountId)}) n)`;
}

/** The billable numbers (`isBillable`) per monthly price: what the items converge to. */
export function billableOf(counts: NumberCount[]): PriceQuantities {
  const target: PriceQuantities = new Map();
  for (const c of counts) {
    if (isBillable(c.status, c.paidFirst)) target.set(c.monthlyCents, (target.get(c.monthlyCents) ?? 0) + c.count);
  }
  return target;
}

/** The account's billable numbers per monthly price. */
export async function billableByPrice(tx: SqlTx, accountId: string): Promise<PriceQuantities> {
  return billableOf(await runSql<NumberCount>(tx, numberCountsSql(accountId)));
}

export function totalQuantity(quantities: Iterable<number>): number {
  let sum = 0;
  for (const q of quantities) sum += q;
  return sum;
}

const ITEM_COLUMNS = Prisma.sql`monthly_cents AS "monthlyCents", price_id AS "priceId", item_id AS "itemId", quantity`;

/** The items recorded for a subscription, cheapest price first. */
export function recordedItems(tx: SqlTx, subscriptionId: string): Promise<PriceItem[]> {
  return runSql<PriceItem>(tx, Prisma.sql`SELECT ${ITEM_COLUMNS} FROM subscription_items WHERE subscription_id = ${subscriptionId} ORDER BY monthly_cents`);
}

/** `recordedItems` as one JSON array, for a statement that reads more with them (`subscriptionId` an SQL expression). */
export function recordedItemsJson(subscriptionId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(SELECT coalesce(json_agg(i ORDER BY i."monthlyCents"), '[]') FROM (SELECT ${ITEM_COLUMNS} FROM subscription_items WHERE subscription_id = ${subscriptionId}) i)`;
}

/**
 * Stripe's items as `PriceItem`s, and recorded as the account's: an item we know keeps its
 * monthly price, one we do not (a subscription from before items per price, an item added
 * elsewhere) is read as costing its unit amount. `known` is what is recorded: only the items that
 * differ from it are written, in one statement.
 */
export async function adoptItems(tx: SqlTx, accountId: string, subscription: SubscriptionSnapshot, known: PriceItem[]): Promise<PriceItem[]> {
  const items = subscription.items.map((item) => ({
    monthlyCents: known.find((k) => k.itemId === item.id)?.monthlyCents ?? item.unitAmountCents ?? 0,
    priceId: item.priceId,
    itemId: item.id,
    quantity: item.quantity,
  }));
  // One row per price (the last item of a price wins, as when each was written in turn): a statement may not update a row twice.
  const rows = new Map(items.map((item) => [item.monthlyCents, item]));
  const changed = [...rows.values()].filter(
    (item) => !known.some((k) => k.monthlyCents === item.monthlyCents && k.itemId === item.itemId && k.priceId === item.priceId && k.quantity === item.quantity),
  );
  if (changed.length > 0) {
    await runSql(
      tx,
      Prisma.sql`
        INSERT INTO subscription_items (account_id, subscription_id, monthly_cents, price_id, item_id, quantity, updated_at)
        VALUES ${Prisma.join(changed.map((item) => Prisma.sql`(${accountId}, ${subscription.id}, ${item.monthlyCents}, ${item.priceId}, ${item.itemId}, ${item.quantity}, now())`))}
        ON CONFLICT (subscription_id, monthly_cents) DO UPDATE
          SET price_id = EXCLUDED.price_id, item_id = EXCLUDED.item_id, quantity = EXCLUDED.quantity, updated_at = EXCLUDED.updated_at`,
    );
  }
  return items.sort((a, b) => a.monthlyCents - b.monthlyCents);
}

/** True when every item holds its target and every price with numbers has an item. */
export function itemsInStep(items: PriceItem[], target: PriceQuantities): boolean {
  return (
    items.every((item) => item.quantity === (target.get(item.monthlyCents) ?? 0)) &&
    [...target].every(([cents, count]) => count === 0 || items.some((item) => item.monthlyCents === cents))
  );
}

/**
 * Sets every price's item to its target in one subscription update with `proration_behavior:
 * none` (docs/billing.md): changed quantities, an item added for a price the subscription does
 * not have yet (its Stripe price found or created by lookup key), and an item whose numbers are
 * all gone set to 0 rather than deleted (Stripe refuses to delete a subscription's last item, and
 * the item is there again for the next number at that price). The key is `<keyBase>q<target>`:
 * `q<n>` while the subscription has one price, else `q<cents>x<n>.<cents>x<n>…`, so a retry of
 * the same convergence is the same request. Records the items as Stripe answers them; null when
 * everything was in step already (no call).
 */
export async function setItemQuantities(
  tx: SqlTx,
  stripe: StripeGateway,
  input: { accountId: string; subscriptionId: string; items: PriceItem[]; target: PriceQuantities; keyBase: string },
): Promise<{ subscription: SubscriptionSnapshot; items: PriceItem[] } | null> {
  const { accountId, subscriptionId, target, keyBase } = input;
  let items = input.items;
  if (itemsInStep(items, target)) return null;
  const missing = [...target].filter(([cents, count]) => count > 0 && !items.some((item) => item.monthlyCents === cents));
  if (missing.length > 0) {
    // An earlier run may have added the item and died before its commit: Stripe refuses a second item of one price.
    items = await adoptItems(tx, accountId, await stripe.getSubscription(subscriptionId), items);
  }
  const changes: SubscriptionItemChange[] = [];
  const wanted = new Map<number, number>();
  for (const item of items) {
    const quantity = target.get(item.monthlyCents) ?? 0;
    wanted.set(item.monthlyCents, quantity);
    if (item.quantity !== quantity) changes.push({ itemId: item.itemId, quantity });
  }
  for (const [cents, quantity] of target) {
    if (quantity === 0 || wanted.has(cents)) continue;
    const price = await stripe.numberPrice(cents, NUMBER_PRICE_CURRENCY, `number-price-${cents}`);
    wanted.set(cents, quantity);
    changes.push({ priceId: price.priceId, quantity });
  }
  if (changes.length === 0) return null;
  const entries = [...wanted].sort(([a], [b]) => a - b);
  const suffix = entries.length === 1 ? String(entries[0][1]) : entries.map(([cents, quantity]) => `${cents}x${quantity}`).join('.');
  const subscription = await stripe.updateSubscriptionItems({ subscriptionId, items: changes, prorationBehavior: 'none' }, `${keyBase}q${suffix}`);
  return { subscription, items: await adoptItems(tx, accountId, subscription, items) };
}

/** The item of a monthly price, if the subscription has one. */
export function itemOfPrice(items: PriceItem[], monthlyCents: number): PriceItem | undefined {
  return items.find((item) => item.monthlyCents === monthlyCents);
}
