import { Inject, Injectable } from '@nestjs/common';
import { PhoneNumberRecords, type NumberFields, type PhoneNumber } from '@numbers/persistence';
import { CARRIER_GATEWAY, ProviderError, type CarrierGateway, type NumberOrderSnapshot, type OrderNumberInput } from '@numbers/providers';

/**
 * Sends a carrier order for a number, recorded first (`claimCarrierOrder`, only while the number
 * is still `provisioning` or `pending_regulatory`) and its id stored once the carrier answers.
 * A release that begins while the order is on its way cannot yet find it by its customer
 * reference: the record tells `release-number` to wait (ReleaseNumberHandler), where before it
 * released the number and left the carrier number the order then bought live. A number that has
 * moved on before the order is sent gets none: null.
 */
@Injectable()
export class CarrierOrderPlacement {
  constructor(
    private readonly numbers: PhoneNumberRecords,
    @Inject(CARRIER_GATEWAY) private readonly carrier: CarrierGateway,
  ) {}

  /** `stored`: what else is written with the order's id. */
  async place(number: PhoneNumber, input: OrderNumberInput, idempotencyKey: string, stored: NumberFields = {}): Promise<NumberOrderSnapshot | null> {
    if (number.status !== 'provisioning' && number.status !== 'pending_regulatory') return null;
    if (!(await this.numbers.claimCarrierOrder(number.id, number.status))) return null;
    let order: NumberOrderSnapshot;
    try {
      order = await this.carrier.orderNumber(input, idempotencyKey);
    } catch (error) {
      // Refused: the carrier holds no order, there is nothing to wait for. Any other failure
      // (a timeout) may have placed one: the record stays until a retry stores it, or it ages out.
      if (error instanceof ProviderError && !error.retryable) await this.numbers.update(number.id, { carrierOrderStartedAt: null });
      throw error;
    }
    await this.numbers.update(number.id, { ...stored, telnyxOrderId: order.orderId, carrierOrderStartedAt: null });
    return order;
  }
}
