import { isBillable } from '@numbers/domain';
import type { NumberCount, PriceItem, SubscriptionItemRepository, Tx } from '@numbers/persistence';
import { NUMBER_PRICE_CURRENCY, type StripeGateway, type SubscriptionItemChange, type SubscriptionSnapshot } from '@numbers/providers';

/** What each price's item should hold: monthly cents → count of billable numbers at that price. */
export type PriceQuantities = Map<number, number>;

/** The billable numbers (`isBillable`) per monthly price: what the items converge to. */
export function billableOf(counts: NumberCount[]): PriceQuantities {
  const target: PriceQuantities = new Map();
  for (const c of counts) {
    if (isBillable(c.status, c.paidFirst)) target.set(c.monthlyCents, (target.get(c.monthlyCents) ?? 0) + c.count);
  }
  return target;
}

export function totalQuantity(quantities: Iterable<number>): number {
  let sum = 0;
  for (const q of quantities) sum += q;
  return sum;
}

/**
 * Stripe's items as `PriceItem`s, and recorded as the account's: an item we know keeps its
 * monthly price, one we do not (a subscription from before items per price, an item added
 * elsewhere) is read as costing its unit amount. `known` is what is recorded: only the items that
 * differ from it are written, in one statement.
 */
export async function adoptItems(
  repository: SubscriptionItemRepository,
  accountId: string,
  subscription: SubscriptionSnapshot,
  known: PriceItem[],
  tx?: Tx,
): Promise<PriceItem[]> {
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
  await repository.upsert(accountId, subscription.id, changed, tx);
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
 * the same convergence is the same request. Records the items as Stripe answers them (one
 * statement each time: it takes no transaction, as Stripe is called); null when everything was
 * in step already (no call).
 */
export async function setItemQuantities(
  deps: { stripe: StripeGateway; items: SubscriptionItemRepository },
  input: { accountId: string; subscriptionId: string; items: PriceItem[]; target: PriceQuantities; keyBase: string },
): Promise<{ subscription: SubscriptionSnapshot; items: PriceItem[] } | null> {
  const { accountId, subscriptionId, target, keyBase } = input;
  let items = input.items;
  if (itemsInStep(items, target)) return null;
  const missing = [...target].filter(([cents, count]) => count > 0 && !items.some((item) => item.monthlyCents === cents));
  if (missing.length > 0) {
    // An earlier run may have added the item and died before its commit: Stripe refuses a second item of one price.
    items = await adoptItems(deps.items, accountId, await deps.stripe.getSubscription(subscriptionId), items);
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
    const price = await deps.stripe.numberPrice(cents, NUMBER_PRICE_CURRENCY, `number-price-${cents}`);
    wanted.set(cents, quantity);
    changes.push({ priceId: price.priceId, quantity });
  }
  if (changes.length === 0) return null;
  const entries = [...wanted].sort(([a], [b]) => a - b);
  const suffix = entries.length === 1 ? String(entries[0][1]) : entries.map(([cents, quantity]) => `${cents}x${quantity}`).join('.');
  const subscription = await deps.stripe.updateSubscriptionItems({ subscriptionId, items: changes, prorationBehavior: 'none' }, `${keyBase}q${suffix}`);
  return { subscription, items: await adoptItems(deps.items, accountId, subscription, items) };
}

/** The item of a monthly price, if the subscription has one. */
export function itemOfPrice(items: PriceItem[], monthlyCents: number): PriceItem | undefined {
  return items.find((item) => item.monthlyCents === monthlyCents);
}
