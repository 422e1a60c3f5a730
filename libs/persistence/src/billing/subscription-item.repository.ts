import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database, type Tx } from '../database/database';

/** One subscription item of an account: the numbers at one monthly price (`subscription_items`). */
export interface PriceItem {
  monthlyCents: number;
  priceId: string;
  itemId: string;
  /** What was last set (or seen) at Stripe. */
  quantity: number;
}

/** `subscription_items`: one Stripe subscription item per monthly price of an account's subscription. */
@Injectable()
export class SubscriptionItemRepository {
  constructor(private readonly db: Database) {}

  /** The items recorded for a subscription, cheapest price first. */
  recorded(subscriptionId: string, tx?: Tx): Promise<PriceItem[]> {
    return (tx ?? this.db)
      .selectFrom('subscriptionItems')
      .select(['monthlyCents', 'priceId', 'itemId', 'quantity'])
      .where('subscriptionId', '=', subscriptionId)
      .orderBy('monthlyCents')
      .execute();
  }

  /** Writes these items of the subscription (one per price), in one statement. */
  async upsert(accountId: string, subscriptionId: string, items: readonly PriceItem[], tx?: Tx): Promise<void> {
    if (items.length === 0) return;
    await (tx ?? this.db)
      .insertInto('subscriptionItems')
      .values(items.map((item) => ({ accountId, subscriptionId, ...item, updatedAt: sql`now()` })))
      .onConflict((oc) =>
        oc.columns(['subscriptionId', 'monthlyCents']).doUpdateSet((eb) => ({
          priceId: eb.ref('excluded.priceId'),
          itemId: eb.ref('excluded.itemId'),
          quantity: eb.ref('excluded.quantity'),
          updatedAt: eb.ref('excluded.updatedAt'),
        })),
      )
      .execute();
  }
}
