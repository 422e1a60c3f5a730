import { decideTransition, isId } from '@numbers/domain';
import { WebhookEventHandler, type HandlesWebhookEvent, type StoredWebhookEvent, type WebhookEventContext, type WebhookHandlerResult } from '@numbers/messaging';
import { NumberLifecycle, PhoneNumberRecords } from '@numbers/persistence';
import { orderSnapshotOfEvent } from '@numbers/providers';
import { NumberOrderSettlement } from './number-order-settlement';

/**
 * Telnyx `number_order.complete`: the carrier fulfilled (or failed) an order. The number is found
 * by the order id we stored, or by the customer reference (our number id) when the event came
 * before the order id was stored. The event carries the final order (signed and verified; the
 * same object the API answers), which is settled without reading it back: `number_ordered` →
 * verifying, or `provisioning_failed` with the carrier's reason. A repeated or late event (the
 * number has moved on) changes nothing and is recorded.
 */
@WebhookEventHandler('telnyx', 'number_order.complete')
export class NumberOrderCompleteEventHandler implements HandlesWebhookEvent<'telnyx'> {
  constructor(
    private readonly numbers: PhoneNumberRecords,
    private readonly lifecycle: NumberLifecycle,
    private readonly settlement: NumberOrderSettlement,
  ) {}

  async handle(event: StoredWebhookEvent<'telnyx'>, { tx, cause }: WebhookEventContext): Promise<WebhookHandlerResult> {
    const order = event.payload.payload;
    const orderId = typeof order['id'] === 'string' ? order['id'] : null;
    const reference = order['customer_reference'];
    if (!orderId) return { outcome: 'ignored', detail: 'the event names no order' };
    const number = (await this.numbers.byTelnyxOrderId(orderId, tx)) ?? (isId(reference) ? await this.numbers.byId(reference, tx) : null);
    if (!number) return { outcome: 'ignored', detail: `order ${orderId} is not for one of our numbers` };
    if (number.telnyxOrderId && number.telnyxOrderId !== orderId) {
      return { outcome: 'ignored', detail: `order ${orderId} is not number ${number.id}'s order ${number.telnyxOrderId}` };
    }

    if (!decideTransition(number.status, 'number_ordered').ok) {
      // The number has moved on (the job that placed the order settled it): whatever the order
      // says changes nothing. Recorded as the event claims it.
      const event = order['status'] === 'failure' ? 'provisioning_failed' : 'number_ordered';
      await this.lifecycle.apply(number, event, { cause, actor: 'telnyx' }, tx);
      return { outcome: 'ignored', detail: `number ${number.id} was ${number.status} already` };
    }
    const snapshot = orderSnapshotOfEvent(order);
    const settled = await this.settlement.settle(number, snapshot, { cause, actor: 'telnyx' }, tx);
    switch (settled.outcome) {
      case 'pending':
        return { outcome: 'ignored', detail: `order ${orderId} is still pending` };
      case 'ordered':
        return settled.applied
          ? { outcome: 'applied', detail: `number ${number.id} ordered: ${settled.phoneNumber}` }
          : { outcome: 'ignored', detail: `number ${number.id} was ${number.status} already` };
      case 'failed':
        return { outcome: settled.applied ? 'applied' : 'ignored', detail: settled.reason };
      case 'reordering':
        return { outcome: 'applied', detail: `${settled.reason}: ordering another number` };
      case 'skipped':
        return { outcome: 'ignored', detail: settled.reason };
    }
  }
}
