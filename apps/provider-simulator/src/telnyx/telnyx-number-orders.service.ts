import type { TelnyxInventoryStore } from '../state/telnyx-inventory.store';
import type { NewNumberOrder, NumberOrderRecord, TelnyxOrderStore } from '../state/telnyx-order.store';
import type { TelnyxStore } from '../state/telnyx.store';
import type { TelnyxEvents } from './telnyx-events';
import { toNumberOrderObject } from './telnyx-number-order.mapper';

/**
 * Number orders: created `pending`, fulfilled after the configured delay — each number that is
 * still in the inventory and not taken becomes a phone number on the account (`active`),
 * otherwise the line fails — then `number_order.complete` is sent with the final order.
 *
 * Unlike Telnyx, a second order with the same `customer_reference` while the first order's
 * number is still pending or held answers the first order instead of buying again (Telnyx would
 * accept it and fail or buy another number); the adapter also looks such orders up first.
 */
export class TelnyxNumberOrders {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly orders: TelnyxOrderStore,
    private readonly inventory: TelnyxInventoryStore,
    private readonly numbers: TelnyxStore,
    private readonly events: TelnyxEvents,
  ) {}

  /** The new order, or the live one that already has this customer reference. */
  place(input: Omit<NewNumberOrder, 'phoneNumbers'> & { phoneNumbers: { phoneNumber: string; requirementGroupId: string | null; bundleId: string | null }[] }): {
    order: NumberOrderRecord;
    existing: boolean;
  } {
    const existing = input.customerReference ? this.liveOrderFor(input.customerReference) : undefined;
    if (existing) return { order: existing, existing: true };
    const order = this.orders.create({
      ...input,
      phoneNumbers: input.phoneNumbers.map((line) => {
        const offered = this.inventory.find(line.phoneNumber);
        return { ...line, countryCode: offered?.countryCode ?? null, numberType: offered?.numberType ?? null };
      }),
    });
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.complete(order);
    }, this.orders.completionDelayMs);
    this.timers.add(timer);
    return { order, existing: false };
  }

  /** Whether a number can be sold now: not held by the account and not reserved by a pending order. */
  isTaken(phoneNumber: string, exceptOrderId?: string): boolean {
    return this.numbers.findLiveByPhoneNumber(phoneNumber) !== undefined || this.orders.isReserved(phoneNumber, exceptOrderId);
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private complete(order: NumberOrderRecord): void {
    if (order.status !== 'pending' || this.orders.get(order.id) !== order) return;
    for (const line of order.phoneNumbers) {
      const offered = this.inventory.find(line.phoneNumber);
      if (!offered) {
        Object.assign(line, { status: 'failure', failureReason: 'Number is not available from the carrier inventory.' });
        continue;
      }
      if (this.isTaken(line.phoneNumber, order.id)) {
        Object.assign(line, { status: 'failure', failureReason: 'Number is no longer available: it has been taken.' });
        continue;
      }
      const record = this.numbers.addNumber({
        phoneNumber: line.phoneNumber,
        status: 'active',
        countryIso: offered.countryCode,
        phoneNumberType: offered.numberType,
        connectionId: order.connectionId,
        messagingProfileId: order.messagingProfileId,
        customerReference: order.customerReference,
      });
      Object.assign(line, { status: 'success', telnyxNumberId: record.id });
    }
    order.status = order.phoneNumbers.every((line) => line.status === 'success') ? 'success' : 'failure';
    this.orders.settle(order);
    order.updatedAt = new Date().toISOString();
    this.events.send('number_order.complete', toNumberOrderObject(order));
  }

  private liveOrderFor(customerReference: string): NumberOrderRecord | undefined {
    return this.orders
      .list({ customerReference })
      .find((order) =>
        order.phoneNumbers.some(
          (line) => line.status === 'pending' || (line.telnyxNumberId !== null && this.numbers.findLive(line.telnyxNumberId) !== undefined),
        ),
      );
  }
}
