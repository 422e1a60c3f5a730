import { Injectable, Logger } from '@nestjs/common';
import { decideTransition } from '@numbers/domain';
import { NumberLifecycle, ProvisioningNumberRepository, type PhoneNumber, type Tx } from '@numbers/persistence';
import type { NumberOrderSnapshot } from '@numbers/providers';
import { ProvisioningFailure, type ProvisioningEnded, type SettlementContext } from './provisioning-failure';

export type OrderSettlement =
  | { outcome: 'pending'; orderId: string }
  | { outcome: 'ordered'; applied: boolean; phoneNumber: string }
  | ProvisioningEnded
  | { outcome: 'reordering'; reason: string }
  | { outcome: 'skipped'; reason: string };

/** Orders placed for one number we pick ourselves before its failure ends it. */
export const MAX_CARRIER_ORDERS = 3;

/**
 * What a carrier order means for our number, whoever learns it first: the `order-number` job
 * that placed it, or the carrier's `number_order.complete`. Pending: nothing yet. Fulfilled: the
 * number is ours; the order id and E.164 are stored with `number_ordered` (→ verifying), from
 * the order alone: settling asks the carrier nothing, so it runs in a webhook's transaction (the
 * number's carrier id is looked up by `register-whatsapp`, outside any transaction).
 * Failed: `provisioning_failed` with the carrier's reason (ProvisioningFailure), unless we
 * picked the number ourselves (the customer asked for none) and ordered fewer than
 * MAX_CARRIER_ORDERS: then another order of the same moment may have taken it, and
 * `order-number` runs again to pick another. Settling twice records the second as not applied.
 */
@Injectable()
export class NumberOrderSettlement {
  private readonly logger = new Logger(NumberOrderSettlement.name);

  constructor(
    private readonly numbers: ProvisioningNumberRepository,
    private readonly lifecycle: NumberLifecycle,
    private readonly failure: ProvisioningFailure,
  ) {}

  /** `number`: as the caller read it (in `tx`, a webhook event's transaction, when given). */
  async settle(number: PhoneNumber, order: NumberOrderSnapshot, context: SettlementContext, tx?: Tx): Promise<OrderSettlement> {
    if (order.status === 'pending') return { outcome: 'pending', orderId: order.orderId };
    const numberId = number.id;
    const waiting = decideTransition(number.status, 'number_ordered').ok;
    const line = order.phoneNumbers[0];
    if (order.status === 'failure' || !line || line.status === 'failure') {
      const reason = `carrier order ${order.orderId} failed: ${line?.failureReason ?? 'no reason given'}`;
      // Only a number still waiting for its order ends with it; a failure that would move a
      // number that has moved on is not applied (nor recorded as if it fitted).
      if (!waiting && decideTransition(number.status, 'provisioning_failed').ok) return { outcome: 'skipped', reason: `number is ${number.status}` };
      if (waiting && number.phoneNumber === null && number.carrierOrders < MAX_CARRIER_ORDERS) {
        await this.numbers.orderAgain(numberId, tx);
        this.logger.warn({ numberId, reason, orders: number.carrierOrders }, 'carrier order failed: ordering another number');
        return { outcome: 'reordering', reason };
      }
      return this.failure.end(number, reason, context, tx);
    }
    if (!waiting) {
      // A late or repeated completion: recorded, nothing asked of the carrier.
      const result = await this.lifecycle.apply(number, 'number_ordered', context, tx);
      return { outcome: 'ordered', applied: result.applied, phoneNumber: line.phoneNumber };
    }
    const result = await this.lifecycle.apply(number, 'number_ordered', { ...context, patch: { telnyxOrderId: order.orderId, phoneNumber: line.phoneNumber } }, tx);
    this.logger.log({ numberId, orderId: order.orderId, phoneNumber: line.phoneNumber, applied: result.applied }, 'number ordered');
    return { outcome: 'ordered', applied: result.applied, phoneNumber: line.phoneNumber };
  }
}
