import { randomUUID } from 'node:crypto';
import type { TelnyxNumberType } from './telnyx.store';

export type NumberOrderStatus = 'pending' | 'success' | 'failure';

export interface OrderPhoneNumberRecord {
  /** The order line's id (a UUID), not the phone number resource's id. */
  id: string;
  phoneNumber: string;
  status: NumberOrderStatus;
  countryCode: string | null;
  numberType: TelnyxNumberType | null;
  requirementGroupId: string | null;
  bundleId: string | null;
  /** Why the line failed (simulator extension; Telnyx shows only the status). */
  failureReason: string | null;
  /** The phone number resource created when the line succeeded. */
  telnyxNumberId: string | null;
}

export interface NumberOrderRecord {
  id: string;
  createdAt: string;
  updatedAt: string;
  status: NumberOrderStatus;
  customerReference: string | null;
  connectionId: string | null;
  messagingProfileId: string | null;
  billingGroupId: string | null;
  phoneNumbers: OrderPhoneNumberRecord[];
}

export type NewNumberOrder = Pick<NumberOrderRecord, 'customerReference' | 'connectionId' | 'messagingProfileId' | 'billingGroupId'> & {
  phoneNumbers: Pick<OrderPhoneNumberRecord, 'phoneNumber' | 'countryCode' | 'numberType' | 'requirementGroupId' | 'bundleId'>[];
};

/** Telnyx number orders, and how long the carrier takes to fulfil one. */
export class TelnyxOrderStore {
  private readonly orders = new Map<string, NumberOrderRecord>();
  private readonly byReference = new Map<string, NumberOrderRecord[]>();
  /** Numbers held by pending orders: E.164 → order ids. */
  private readonly reservations = new Map<string, Set<string>>();
  /** Wait between an order's creation and its outcome; 0 completes right after the answer. */
  completionDelayMs = 0;

  create(input: NewNumberOrder): NumberOrderRecord {
    const now = new Date().toISOString();
    const order: NumberOrderRecord = {
      id: randomUUID(),
      createdAt: now,
      updatedAt: now,
      status: 'pending',
      ...input,
      phoneNumbers: input.phoneNumbers.map((line) => ({ ...line, id: randomUUID(), status: 'pending', failureReason: null, telnyxNumberId: null })),
    };
    this.orders.set(order.id, order);
    if (order.customerReference !== null) this.byReference.set(order.customerReference, [...(this.byReference.get(order.customerReference) ?? []), order]);
    for (const line of order.phoneNumbers) {
      const holders = this.reservations.get(line.phoneNumber) ?? new Set<string>();
      this.reservations.set(line.phoneNumber, holders.add(order.id));
    }
    return order;
  }

  /** The order is no longer pending: its numbers are no longer reserved by it. */
  settle(order: NumberOrderRecord): void {
    for (const line of order.phoneNumbers) {
      const holders = this.reservations.get(line.phoneNumber);
      holders?.delete(order.id);
      if (holders?.size === 0) this.reservations.delete(line.phoneNumber);
    }
  }

  get(id: string): NumberOrderRecord | undefined {
    return this.orders.get(id);
  }

  /** Oldest first. */
  list(filter: { customerReference?: string; status?: string } = {}): NumberOrderRecord[] {
    const candidates = filter.customerReference === undefined ? [...this.orders.values()] : (this.byReference.get(filter.customerReference) ?? []);
    return candidates.filter((order) => filter.status === undefined || order.status === filter.status);
  }

  /** Whether a pending order other than `exceptOrderId` reserves this number. */
  isReserved(phoneNumber: string, exceptOrderId?: string): boolean {
    const holders = this.reservations.get(phoneNumber);
    return holders !== undefined && [...holders].some((id) => id !== exceptOrderId);
  }

  clear(): void {
    this.orders.clear();
    this.byReference.clear();
    this.reservations.clear();
    this.completionDelayMs = 0;
  }
}
