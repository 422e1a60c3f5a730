import { Inject, Logger } from '@nestjs/common';
import type { JobPayloads } from '@numbers/contracts';
import { GiveUpError, JobHandler, type HandlesJob, type JobContext } from '@numbers/messaging';
import { PhoneNumberRecords, type PhoneNumber } from '@numbers/persistence';
import { CARRIER_GATEWAY, type CarrierGateway, type NumberOrderSnapshot } from '@numbers/providers';
import { CarrierOrderPlacement } from './carrier-order-placement';
import { MAX_CARRIER_ORDERS, NumberOrderSettlement, type OrderSettlement } from './number-order-settlement';
import { ProvisioningFailure, jobContext } from './provisioning-failure';
import { RegulatoryReview, type ReviewStep } from './regulatory-review';

/**
 * Orders a number that entered `provisioning` from the carrier, once. The number is the one the
 * customer asked for (`phoneNumber` on the row) or the first the carrier offers for the row's
 * country and type. The order carries our number id as customer reference and the idempotency
 * key `order-<numberId>`, and its id is stored, so a second run reads the order instead of
 * placing one (the order is recorded before it is sent: CarrierOrderPlacement). What the order
 * already says is settled at once (see NumberOrderSettlement); a pending order waits for the
 * carrier's `number_order.complete`.
 *
 * A country without inventory, an order the carrier refuses (4xx), or a carrier that still
 * fails on the last attempt ends the number with `provisioning_failed` and a stored reason.
 *
 * A number of a country that needs identity review is not ordered like this: in `provisioning`
 * its requirement group is created and submitted (→ pending_regulatory); in
 * `pending_regulatory`, once the group is approved (the verdict's webhook enqueues this job
 * again), it is ordered with the group. See RegulatoryReview.
 */
@JobHandler('order-number')
export class OrderNumberHandler implements HandlesJob<'order-number'> {
  private readonly logger = new Logger(OrderNumberHandler.name);

  constructor(
    private readonly numbers: PhoneNumberRecords,
    private readonly settlement: NumberOrderSettlement,
    private readonly failure: ProvisioningFailure,
    private readonly review: RegulatoryReview,
    private readonly placement: CarrierOrderPlacement,
    @Inject(CARRIER_GATEWAY) private readonly carrier: CarrierGateway,
  ) {}

  async handle({ numberId }: JobPayloads['order-number'], ctx: JobContext): Promise<OrderSettlement | ReviewStep> {
    // Whether its country needs identity review, read with the number: one statement.
    const found = await this.numbers.forOrder(numberId);
    if (!found) throw new GiveUpError(`number ${numberId} does not exist`);
    const { needsReview, ...number } = found;
    const context = jobContext(ctx);
    if ((number.status === 'provisioning' || number.status === 'pending_regulatory') && needsReview) {
      return this.failure.unlessRefused(number, ctx, 'carrier refused the regulated order', () =>
        number.status === 'provisioning' ? this.review.start(number, context) : this.review.orderApproved(number, context),
      );
    }
    if (number.status !== 'provisioning') {
      this.logger.log({ numberId, status: number.status, jobId: ctx.jobId }, `order skipped: number is ${number.status}`);
      return { outcome: 'skipped', reason: `number is ${number.status}` };
    }
    return this.failure.unlessRefused(number, ctx, 'carrier refused the order', async () => {
      const current = await this.currentOrder(number);
      if (current === 'no_inventory') return this.failure.end(number, `no ${number.numberType} numbers available in ${number.country}`, context);
      if (current === 'moved_on') return { outcome: 'skipped', reason: 'number moved on before its order was sent' };
      return this.settlement.settle(current.number, current.order, context);
    });
  }

  /**
   * The order placed for the number (read back on a second run), or a new one: the first under
   * the key `order-<numberId>`, a later one (after an order that failed) under `order-<numberId>-<n>`.
   * Returns the number as it is once the order is stored.
   */
  private async currentOrder(number: PhoneNumber): Promise<{ number: PhoneNumber; order: NumberOrderSnapshot } | 'no_inventory' | 'moved_on'> {
    if (number.telnyxOrderId) {
      const placed = await this.carrier.getNumberOrder(number.telnyxOrderId);
      if (placed && (placed.status !== 'failure' || number.carrierOrders >= MAX_CARRIER_ORDERS)) return { number, order: placed };
    }
    const phoneNumberPicked = number.phoneNumber === null || number.phoneNumberPicked;
    const phoneNumber = number.phoneNumber ?? (await this.pick(number));
    if (!phoneNumber) return 'no_inventory';
    const carrierOrders = number.carrierOrders + 1;
    const key = carrierOrders === 1 ? `order-${number.id}` : `order-${number.id}-${carrierOrders}`;
    // Stored at once: a run that dies before settling finds this order again instead of picking another number.
    const order = await this.placement.place(number, { phoneNumber, customerReference: number.id, givenBack: number.givenBackPhoneNumbers }, key, { carrierOrders, phoneNumberPicked });
    if (!order) return 'moved_on';
    this.logger.log({ numberId: number.id, orderId: order.orderId, phoneNumber, status: order.status }, 'number order placed');
    return { number: { ...number, telnyxOrderId: order.orderId, carrierOrders, phoneNumberPicked }, order };
  }

  /** The first number the carrier offers, never one this number gave back (its WhatsApp registration conflicted). */
  private async pick(number: PhoneNumber): Promise<string | null> {
    const givenBack = number.givenBackPhoneNumbers;
    const offered = await this.carrier.searchAvailableNumbers({ country: number.country, numberType: number.numberType, features: ['sms'], limit: 1 + givenBack.length });
    return offered.find((candidate) => !givenBack.includes(candidate.phoneNumber))?.phoneNumber ?? null;
  }
}
